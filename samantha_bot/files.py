"""The program's own folders (XDG) and files only their owner can read, written atomically."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

APP = "samantha_bot"
XDG = {"state": ("XDG_STATE_HOME", (".local", "state")), "cache": ("XDG_CACHE_HOME", (".cache",))}


def app_dir(kind: str) -> Path:
    """$XDG_STATE_HOME/samantha_bot (or ~/.local/state/...), or the same for "cache"."""
    variable, default = XDG[kind]
    return Path(os.environ.get(variable) or Path.home().joinpath(*default)) / APP


def private_folder(path: Path) -> None:
    """Create a folder (and its parents) readable by its owner only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def private_file(path: Path) -> None:
    """Make sure a file exists and only its owner can read it (history, the lock)."""
    private_folder(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to a temporary file beside `path` (mode 0600) and rename it over: a reader
    sees the old file or the new one, never half of one. `durable` also syncs the file and its
    folder to disk, so a crash just after keeps the new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if durable and hasattr(os, "O_DIRECTORY"):
        folder = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
