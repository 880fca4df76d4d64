"""The one error boundary every command runs behind: argparse that writes to the streams it is
given, and a failure made one line on stderr and a named exit status (errors.ExitStatus)."""
from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, TextIO

from .errors import ContentError, ExitStatus, UsageError
from .render import one_line
from .storage import StateLocked


class Parser(argparse.ArgumentParser):
    """argparse writing to the streams it is given: a mistake raises UsageError (one line, said by
    the error boundary), and --help raises ParserExit instead of leaving the process."""

    def __init__(self, stdout: TextIO, stderr: TextIO, **kwargs: Any):
        super().__init__(**kwargs)
        self.stdout, self.stderr = stdout, stderr

    @classmethod
    def like(cls, parser: argparse.ArgumentParser, stdout: TextIO, stderr: TextIO) -> Parser:
        """A Parser taking every argument of an existing parser (through argparse's `parents`)."""
        return cls(stdout, stderr, prog=parser.prog, description=parser.description, epilog=parser.epilog,
                   formatter_class=parser.formatter_class, parents=[parser], add_help=False)

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            (self.stderr if file is sys.stderr else self.stdout if file in (None, sys.stdout) else file).write(message)

    def exit(self, status: int = 0, message: str | None = None) -> Any:
        if message:
            self.stderr.write(message)
        raise ParserExit(status)

    def error(self, message: str) -> Any:
        command = self.prog.partition(" ")[2]
        raise UsageError(f"{command + ': ' if command else ''}{message} (see '{self.prog} --help')")


class ParserExit(Exception):
    """argparse finished the command itself (--help): end with this status."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def guarded(command: Callable[[], int], stderr: TextIO, traceback: bool = False) -> int:
    """The one error boundary: the command's status, or for a failure one line on stderr and the
    failure's status (a broken pack: its located messages). With `traceback`, failures are raised."""
    try:
        return command()
    except ParserExit as done:
        return done.status
    except BrokenPipeError:
        raise  # nothing can be said on a closed pipe; run() ends quietly
    except (Exception, KeyboardInterrupt) as error:
        if traceback:
            raise
        message, status = failure(error)
        if message:
            print(message, file=stderr)
        return status


def failure(error: BaseException) -> tuple[str | None, ExitStatus]:
    """What to say about a failure, and the exit status it ends the command with."""
    if isinstance(error, KeyboardInterrupt):
        return None, ExitStatus.INTERRUPTED
    if isinstance(error, UsageError):
        return f"samantha: {one_line(str(error), 400)}", ExitStatus.USAGE
    if isinstance(error, ContentError):
        only = error.problems[0] if len(error.problems) == error.total == 1 else None
        if only is not None and not only.location.line:  # a pack missing or unreadable: one line
            hint = f" ({only.hint})" if only.hint else ""
            return f"samantha: {only.location}: {only.message}{hint}", ExitStatus.FAILURE
        return error.render(), ExitStatus.FAILURE
    if isinstance(error, StateLocked):
        return f"samantha: {error}", ExitStatus.FAILURE
    if isinstance(error, OSError):
        said = f"{error.filename}: {error.strerror}" if error.filename and error.strerror else str(error)
        return f"samantha: {one_line(said, 400)}", ExitStatus.FAILURE
    return (f"samantha: internal error: {type(error).__name__}: {one_line(str(error))}; "
            "run with --traceback for details"), ExitStatus.INTERNAL
