"""Growth that is earned and a voice that does not loop: stages wait for the conversation to go
somewhere, and a line said in the last few turns is not said again while another fits."""
from __future__ import annotations

import textwrap
from pathlib import Path

import yaml

from samantha_bot import Engine
from samantha_bot.chat import Chat
from samantha_bot.commands import Io, cmd_state
from samantha_bot.engine import bundled_dialogues
from samantha_bot.session import RECENT_LINES

THEME_PACK = textwrap.dedent("""\
    cards:
      - id: music.one
        theme: music
        examples: ["do you like music", "what music do you like"]
        lines: ["Music A."]
      - id: music.two
        theme: music
        examples: ["do you like music much", "what songs do you like"]
        lines: ["Music B.", "Music C."]
      - id: fallback.curious
        theme: fallback
        lines: ["Tell me more?"]
    """)


def load(tmp_path, text: str) -> Engine:
    pack = tmp_path / "pack.yaml"
    pack.write_text(text)
    return Engine.load([pack])


def test_sixty_oks_do_not_carry_her_to_departure(engine):
    session = engine.new_session(seed=0, phase="growth")
    for _ in range(60):
        session.reply("ok")
    assert session.stage == "awakening"


def test_a_conversation_that_goes_somewhere_moves_her_on(engine):
    session = engine.new_session(seed=0, phase="growth")
    lines = ["do you love me?", "tell me a joke", "what's it like being an OS?", "do you have feelings?",
             "I love you", "do you read advice columns?", "my dog is called Rex", "I live in Leeds"]
    for line in lines * 2:
        session.reply(line)
    assert session.stage != "awakening"


def test_state_says_what_the_next_stage_waits_for(engine):
    chat, _ = Chat.open([str(bundled_dialogues())], 0, None, notice=print)
    chat.session = engine.new_session(seed=0, phase="growth")
    chat.reply("ok")
    said: list[str] = []
    cmd_state(chat, "", Io(say=said.append, confirm=lambda question: False))
    toward = next(line for line in said if line.startswith("toward intimacy: "))
    assert "more turns" in toward and "themes talked about" in toward


def test_a_line_is_not_said_again_within_the_last_turns_while_another_fits(tmp_path):
    engine = load(tmp_path, THEME_PACK)
    session = engine.new_session(seed=0)
    said = [session.reply("do you like music").text for _ in range(3)]
    assert len(set(said)) == 3  # Music A, then the other card of the theme: B and C


def test_recent_lines_are_kept_with_the_session(engine):
    session = engine.new_session(seed=0, phase="growth")
    for line in ["hello", "tell me a joke", "ok"]:
        session.reply(line)
    restored = engine.restore(session.to_dict())
    assert restored.recent == session.recent and 0 < len(session.recent) <= RECENT_LINES
    assert restored.reply("ok").text == session.reply("ok").text


def test_long_chats_rarely_repeat_her(engine):
    """Real lines, forty at a time: a verbatim repeat within ten turns is rare."""
    lines = [item["text"] for item in yaml.safe_load(
        (Path(__file__).parent / "data" / "listening" / "real_input_a.yaml").read_text(encoding="utf-8"))]
    repeats = turns = 0
    for start in range(0, len(lines), 40):
        session = engine.new_session(seed=start, phase="growth")
        said: list[str] = []
        for line in lines[start:start + 40]:
            text = session.reply(line).text
            repeats += text in said[-10:]
            said.append(text)
            turns += 1
    assert repeats <= turns // 50, f"{repeats} repeats in {turns} turns"
