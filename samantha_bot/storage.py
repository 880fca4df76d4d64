"""Where the relationship is kept between runs: XDG paths, atomic writes, a lock, bad files aside."""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import app_dir, private_file, private_folder, write_atomically

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; a second REPL is then not refused
    fcntl = None  # type: ignore[assignment]

FORMAT = "samantha_bot state"
VERSION = 1


def state_dir() -> Path:
    """$XDG_STATE_HOME/samantha_bot, or ~/.local/state/samantha_bot."""
    return app_dir("state")


def default_state_file() -> Path:
    return state_dir() / "session.json"


def history_file() -> Path:
    return state_dir() / "history"


class StateLocked(Exception):
    """Another samantha is talking on this state file."""


class BadState(Exception):
    """A state file that is not ours, is damaged, or is from a newer version."""


@dataclass
class Saved:
    session: dict[str, Any]
    saved_at: float
    packs: list[str]


class StateFile:
    """One state file: locked while a REPL uses it, read with care, written atomically."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock: Any = None

    def lock(self) -> None:
        """Hold an exclusive lock for as long as this REPL runs; refuse if another holds it."""
        lock = self.path.with_name(self.path.name + ".lock")
        private_file(lock)
        if fcntl is None:
            return
        handle = open(lock, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise StateLocked(f"another samantha is already talking on {self.path}; "
                              "close it, or use --state FILE or --no-state") from None
        self._lock = handle
        for temporary in self.path.parent.glob(f".{self.path.name}.*"):
            temporary.unlink(missing_ok=True)  # left by a writer killed mid-save

    def unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def load(self) -> Saved | None:
        """The saved state, None when there is none; BadState when the file cannot be ours."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise BadState(f"cannot be read ({error})") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise BadState(f"is not valid JSON ({error.msg} at line {error.lineno})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BadState("is not a samantha_bot state file")
        version = data.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise BadState(f"is from a newer samantha_bot (format version {version})")
        if not isinstance(data.get("session"), dict):
            raise BadState("holds no session")
        saved_at = data.get("saved_at")
        return Saved(data["session"], float(saved_at) if isinstance(saved_at, (int, float)) else 0.0,
                     [str(p) for p in data.get("packs", []) if isinstance(p, str)])

    def move_aside(self) -> Path:
        """Keep a bad file under a new name, never overwriting it; returns where it went."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.bad-{stamp}")
        counter = 1
        while target.exists():
            target = self.path.with_name(f"{self.path.name}.bad-{stamp}-{counter}")
            counter += 1
        os.replace(self.path, target)
        return target

    def save(self, session: dict[str, Any], packs: list[str]) -> None:
        """Write atomically: a temporary file beside it (mode 0600), fsync, rename over, fsync the folder."""
        private_folder(self.path.parent)
        data = {"format": FORMAT, "version": VERSION, "saved_at": time.time(), "packs": packs,
                "session": session}
        write_atomically(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
