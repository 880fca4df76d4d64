"""The REPL's slash commands as a table: name -> handler; each handler's docstring is its /help."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .chat import Chat
from .errors import did_you_mean
from .explain import why_not
from .phases import SETUP, outlook


@dataclass
class Io:
    """How a command talks back: plain lines out, and a yes/no question for the person."""

    say: Callable[[str], None]
    confirm: Callable[[str], bool]
    her: Callable[[str], None] | None = None  # a line of hers (the REPL labels it); else said plainly


Handler = Callable[[Chat, str, Io], bool]  # returns False to leave the REPL


def cmd_help(chat: Chat, arg: str, io: Io) -> bool:
    """/help: list the commands."""
    for name, handler in COMMANDS.items():
        io.say(f"  {(handler.__doc__ or name).splitlines()[0]}")
    io.say("  Ctrl-C clears the line, Ctrl-D leaves, Tab completes commands and card ids, Up recalls history.")
    return True


def cmd_why(chat: Chat, arg: str, io: Io) -> bool:
    """/why: which card answered the last line, its theme, score, matched phrasing and runners-up."""
    if not chat.turns:
        io.say("Nothing to explain yet: say something to her first.")
        return True
    text, reply = chat.turns[-1]
    io.say(f"you said: {text!r}")
    io.say(reply.explain())
    return True


def cmd_whynot(chat: Chat, arg: str, io: Io) -> bool:
    """/whynot CARD: why that card did not answer the last line."""
    if not arg:
        io.say("usage: /whynot CARD   (the card ids are in /why and in the dialogue YAML)")
    elif not chat.turns or not chat.snapshots:
        io.say("Nothing to explain yet: say something to her first.")
    else:
        before = chat.engine.restore(chat.snapshots[-1])
        io.say(f"{arg}: {why_not(before, chat.turns[-1][0], arg)}")
    return True


def cmd_state(chat: Chat, arg: str, io: Io) -> bool:
    """/state: the phase, the stage, the turns, and what she remembers about you."""
    session = chat.session
    io.say(f"phase: {session.phase}" + (f", stage: {session.stage}" if session.stage else ""))
    place = session.place
    io.say(f"turns: {session.turns} in all, {place.stage_turns} in this stage")
    if place.stage_themes:
        io.say(f"themes touched in this stage: {', '.join(place.stage_themes)}")
    ahead = outlook(place, chat.engine.content.stages, session.learned)
    if ahead.waiting:
        io.say(f"toward {ahead.following}: " + "; or ".join(ahead.waiting))
    if session.facts:
        for fact, value in sorted(session.facts.items()):
            io.say(f"  {fact}: {', '.join(value) if isinstance(value, list) else value}")
    else:
        io.say("she knows nothing about you yet")
    if chat.state is not None:
        io.say(f"saved in {chat.state.path}")
    return True


def cmd_reset(chat: Chat, arg: str, io: Io) -> bool:
    """/reset: forget everything and start again at setup (asks first)."""
    if io.confirm("Start over from the very beginning? She will forget everything. [y/N] "):
        chat.reset()
        io.say("Started fresh.")
        opening = chat.opening(None)  # she speaks first, as on a first start
        if opening is not None:
            (io.her or io.say)(opening.text)
    else:
        io.say("Kept everything as it was.")
    return True


def cmd_reload(chat: Chat, arg: str, io: Io) -> bool:
    """/reload: re-read the dialogue YAML (on an error, the old dialogues stay)."""
    io.say(chat.reload())
    return True


def cmd_record(chat: Chat, arg: str, io: Io) -> bool:
    """/record FILE: save this conversation as a conversation script (samantha test FILE)."""
    if not arg:
        io.say("usage: /record FILE")
        return True
    from .scripts import record_script
    target = Path(arg).expanduser()
    text = record_script(chat.turns, name=target.stem, seed=chat.seed, packs=chat.packs[1:],
                         state=chat.started, relative_to=target.parent)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        io.say(f"could not write {arg}: {error.strerror or error}")
    else:
        io.say(f"recorded {len(chat.turns)} turns to {arg}")
    return True


def cmd_undo(chat: Chat, arg: str, io: Io) -> bool:
    """/undo: take back the last turn, state included, to try another phrasing."""
    io.say("Took back the last turn." if chat.undo() else "There is no turn to take back.")
    return True


def cmd_quit(chat: Chat, arg: str, io: Io) -> bool:
    """/quit: say goodbye and leave (Ctrl-D does the same)."""
    return False


COMMANDS: dict[str, Handler] = {
    "/help": cmd_help, "/why": cmd_why, "/whynot": cmd_whynot, "/state": cmd_state,
    "/reset": cmd_reset, "/reload": cmd_reload, "/record": cmd_record, "/undo": cmd_undo,
    "/quit": cmd_quit,
}


def run(chat: Chat, line: str, io: Io) -> bool:
    """Run one slash command line; an unknown command gets the closest one as a hint."""
    name, _, arg = line.strip().partition(" ")
    handler = COMMANDS.get(name.lower())
    if handler is None:
        hint = did_you_mean(name, COMMANDS)
        io.say(f"unknown command {name}" + (f"; {hint}" if hint else "") + " (/help lists them)")
        return True
    return handler(chat, arg.strip(), io)


def progress(chat: Chat) -> str:
    """The toolbar's text: the phase, the stage, and how far she is toward the next one."""
    return progress_forms(chat)[0]


def progress_forms(chat: Chat) -> list[str]:
    """The toolbar's text, longest first, then shorter forms of it for a narrow terminal."""
    place = chat.session.place
    if place.phase == SETUP:
        step, steps = place.step + 1, max(1, len(chat.engine.setup) - 1)
        return [f" setup: question {step} of {steps}", f" setup {step}/{steps}"]
    ahead = outlook(place, chat.engine.content.stages)
    position, count = ahead.position + 1, ahead.stages
    full, short = f" growth · stage {place.stage} ({position} of {count})", f" {place.stage} {position}/{count}"
    if ahead.turns is None or ahead.following is None:
        return [full, short]
    if place.stage_turns >= ahead.turns and ahead.waiting:  # the turns are spent: what a way out still waits for
        needed = min(ahead.waiting, key=len)
        return [f"{full} · toward {ahead.following}: {needed}", f"{short} · {needed}", short]
    toward = f"{place.stage_turns}/{ahead.turns} turns"
    return [f"{full} · {toward} toward {ahead.following}", f"{short} · {toward}", short]
