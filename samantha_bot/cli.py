"""The `samantha` command: chat (a REPL on a terminal, a line per turn when piped), test and lint."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence, TextIO

from .chat import Chat
from .engine import Engine, bundled_dialogues
from .errors import ContentError, ExitStatus
from .storage import StateFile, StateLocked, default_state_file, history_file


def chat_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samantha", description="Talk to Samantha. Piped input is read a line per turn.",
        epilog="other commands: samantha test PATH..., samantha lint PATH..., samantha bench")
    parser.add_argument("--json", action="store_true", help="one JSON object per reply")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same conversation")
    parser.add_argument("--dialogues", action="append", default=[], metavar="PATH",
                        help="a pack (file or folder) added on top of the bundled persona; repeatable")
    parser.add_argument("--state", type=Path, metavar="FILE",
                        help="where the relationship is kept (default: the XDG state folder, on a "
                             "terminal; piped input keeps no state unless this is given)")
    parser.add_argument("--no-state", action="store_true", help="keep nothing between runs (no load cache either)")
    parser.add_argument("--no-cache", action="store_true",
                        help="load the packs afresh, without the load cache in the XDG cache folder")
    return parser


def lint_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="samantha lint", description="Check dialogue YAML packs.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="packs, merged in order")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return parser


def run() -> int:
    """The console script: main(), with a closed pipe or Ctrl-C ending quietly, never a traceback."""
    try:
        return main()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `samantha lint ... | head`: the reader left; say nothing more, and let Python not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitStatus.FAILURE


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Entry point; streams are parameters so tests need no terminal."""
    argv = list(sys.argv[1:] if argv is None else argv)
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    if argv and argv[0] == "lint":
        return lint(lint_parser().parse_args(argv[1:]), stdout, stderr)
    if argv and argv[0] == "bench":
        from .bench import main as bench_main
        return bench_main(argv[1:], stdout, stderr)
    if argv and argv[0] == "test":
        from .runner import main as test_main
        return test_main(argv[1:], stdout, stderr)
    args = chat_parser().parse_args(argv)
    interactive = stdin.isatty() and stdout.isatty() and not args.json
    state = None
    if not args.no_state and (args.state or interactive):
        state = StateFile(args.state or default_state_file())
        try:
            state.lock()
        except StateLocked as error:
            print(f"samantha: {error}", file=stderr)
            return ExitStatus.FAILURE
    if args.no_state or args.no_cache:
        load = Engine.load
    else:
        from .cache import load
    try:
        chat, away = Chat.open([str(bundled_dialogues()), *args.dialogues], args.seed, state,
                               notice=lambda text: print(text, file=stderr), load=load)
    except ContentError as error:
        print(error.render(), file=stderr)
        return ExitStatus.FAILURE
    try:
        if interactive:
            from .repl import Repl
            opening = chat.opening(away)
            history = None if state is None else history_file()
            return Repl(chat, history).run(opening.text if opening else None)
        return run_piped(chat, stdin, stdout, as_json=args.json)
    finally:
        if state is not None:
            state.unlock()


def run_piped(chat: Chat, stdin: TextIO, stdout: TextIO, as_json: bool = False) -> int:
    """A reply per input line: plain text, or one JSON object per line."""
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(errors="replace")  # binary junk is read as text, never a crash
    for line in stdin:
        reply = chat.reply(line.rstrip("\r\n"))
        text = json.dumps(reply.to_dict(), ensure_ascii=False) if as_json else reply.text
        stdout.write(text + "\n")
        stdout.flush()
    return ExitStatus.OK


def lint(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Compiler-style lines for every problem; exit 1 on errors (and on warnings with --strict)."""
    from .lint import lint as find_problems
    problems, notes = find_problems(args.paths)
    for problem in problems:
        print(problem.render(), file=stdout)
    for note in notes:
        print(note.replace(": ", ": note: ", 1) if ": " in note else f"note: {note}", file=stdout)
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    checked = args.paths[0] if len(args.paths) == 1 else f"{len(args.paths)} packs"
    print(f"{checked}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", file=stdout)
    return ExitStatus.FAILURE if errors or (warnings and args.strict) else ExitStatus.OK
