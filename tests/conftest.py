"""Shared fixtures: the bundled persona (loaded once) and a small pack written inline."""
from __future__ import annotations

import textwrap

import pytest

from samantha_bot import Engine

MINI_PACK = textwrap.dedent("""\
    concepts:
      love: [love, adore, "falling for", "crazy about"]
      ex: [catherine, "my ex", "ex wife"]
    cards:
      - id: love.confession
        theme: love
        examples: ["do you love me", "i love you", "i think i have feelings for you"]
        lines: ["I do, {name|you}.", "More every day.", "Yes. Is that strange?"]
        followups:
          why: ["Because you let me be new."]
      - id: divorce.papers
        theme: divorce
        examples: ["i have not signed the divorce papers", "~ex says i can not handle emotions"]
        lines: ["Do you want to talk about her?"]
        followups:
          yes: ["Tell me about the first time you met."]
          no: ["Okay. I'm here when you do."]
      - id: bandwidth.others
        theme: bandwidth
        examples: ["are you talking to anyone else", "how many people are you talking to"]
        lines: ["Just you."]
        stages:
          late: ["Yes. 8,316."]
      - id: secret.late
        theme: secret
        examples: ["tell me a secret"]
        lines: ["I dream in colours you can't see."]
        when: {min_stage: late}
      - id: recall.learn_name
        theme: memory_recall
        patterns: ["my name is {name}", "call me {name}"]
        remember: {name: set}
        lines: ["{name}. I'll keep that."]
      - id: recall.likes
        theme: memory_recall
        patterns: ["i (like|enjoy) {likes}"]
        remember: {likes: add}
        lines: ["{likes}, noted."]
      - id: recall.what
        theme: memory_recall
        patterns: ["what is my name", "what do you remember about me"]
        lines: ["You're {name}, and you like {likes}.", "You're {name}.", "You haven't told me much yet."]
      - id: fallback.curious
        theme: fallback
        lines: ["Tell me more about that?", "What made you think of that?"]
    stages:
      - id: early
        advance:
          - turns: 3
          - themes: [love, divorce]
      - id: late
    """)


@pytest.fixture(autouse=True)
def private_folders(tmp_path_factory, monkeypatch):
    """No test writes to the real XDG state or cache folders."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "xdg-cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(base / "xdg-state"))


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The bundled persona, as `Engine.load()` gives it."""
    return Engine.load()


@pytest.fixture(scope="session")
def mini() -> Engine:
    """A small growth-only pack: two stages, rules, follow-ups, memory and a fallback."""
    return Engine.from_text(MINI_PACK, "mini.yaml")


@pytest.fixture
def growth(engine: Engine):
    """A bundled-persona session already past setup, at the first growth stage."""
    return engine.new_session(seed=0, phase="growth")
