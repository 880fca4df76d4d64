"""A load cache: an Engine kept on disk under a key made of its packs' bytes and this code's bytes.

Loading a big pack is mostly reading YAML and indexing it; both are pure functions of the pack
files and of the code, so the finished Engine can be kept and reused. The key hashes every file
the loader would read (names, order and bytes), the package's own source files, and the Python
and library versions: any change makes a new key, so a stale engine is never served. Entries are
written atomically in a folder only the user can read, as Python keeps its own __pycache__.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from . import loader
from .engine import Engine, bundled_dialogues, collector_paused
from .files import app_dir, write_atomically

FORMAT = b"samantha_bot engine cache 1\n"
KEEP = 8  # entries kept; older ones (other packs, older code) are removed when one is written


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/samantha_bot, or ~/.cache/samantha_bot."""
    return app_dir("cache")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of this package's own files and of the versions its results depend on."""
    import rapidfuzz
    import yaml

    digest = hashlib.sha256(f"{sys.version}|{yaml.__version__}|{rapidfuzz.__version__}".encode())
    for path in sorted(Path(__file__).resolve().parent.iterdir()):
        if path.is_file() and path.suffix != ".pyc":
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def key(paths: Sequence[str | Path]) -> str:
    """The cache key of loading these packs, in this order, with this code."""
    digest = hashlib.sha256(code_version().encode())
    for path in paths:
        digest.update(b"\1pack\0" + str(path).encode())
        for file in loader.pack_files(Path(path)) if Path(path).exists() else []:
            digest.update(b"\1file\0" + str(file).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def load(paths: Sequence[str | Path] | None = None, folder: Path | None = None) -> Engine:
    """Engine.load(paths), from the cache when these exact packs were loaded by this exact code.

    A broken pack raises ContentError as Engine.load does (errors are not cached). A cache entry
    that cannot be read is ignored and rewritten. An entry is code to Python's pickle, so a
    folder that anyone but this user could write to is not used at all.
    """
    chosen = list(paths) if paths else [bundled_dialogues()]
    folder = folder or cache_dir()
    try:
        wanted = key(chosen)
    except OSError:  # a pack that cannot be read: Engine.load says where and why
        return Engine.load(chosen)
    if not _private(folder):
        return Engine.load(chosen)
    entry = folder / f"{wanted}.pickle"
    try:
        data = entry.read_bytes()
        if data.startswith(FORMAT):
            engine = _unpickle(memoryview(data)[len(FORMAT):])
            if isinstance(engine, Engine):
                return engine
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    engine = Engine.load(chosen)
    if _same_key(chosen, wanted):  # a pack edited while it loaded is not kept under its old bytes
        _write(entry, FORMAT + pickle.dumps(engine, protocol=pickle.HIGHEST_PROTOCOL))
        _prune(folder)
    return engine


def _private(folder: Path) -> bool:
    """Whether the folder is this user's alone to write (made so when it does not exist yet)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return False
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def _same_key(paths: Sequence[str | Path], wanted: str) -> bool:
    try:
        return key(paths) == wanted
    except OSError:
        return False


def _unpickle(data: memoryview) -> object:
    with collector_paused():
        return pickle.loads(data)


def _prune(folder: Path) -> None:
    try:
        entries = sorted(folder.glob("*.pickle"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink()
    except OSError:
        pass


def _write(entry: Path, data: bytes) -> None:
    """Write atomically into the folder _private() made; a cache that cannot be written is only a
    slower next load."""
    try:
        write_atomically(entry, data, durable=False)
    except OSError:
        pass
