"""samantha_bot: Samantha, the OS from Her, as a rule-and-retrieval dialogue engine.

    from samantha_bot import Engine
    session = Engine.load().new_session(seed=0)
    print(session.reply("hello").text)
"""
from __future__ import annotations

from .engine import Engine, StateError, bundled_dialogues
from .errors import ContentError, ExitStatus, Location, Problem
from .session import Reply, Session

__all__ = ["ContentError", "Engine", "ExitStatus", "Location", "Problem", "Reply", "Session",
           "StateError", "bundled_dialogues"]
__version__ = "0.1.0"
