"""The `samantha` command: chat (a REPL on a terminal, a line per turn when piped), test, lint, bench
and help, behind one error boundary that makes every failure one line and a named exit status."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable, Sequence, TextIO

from . import commands, loader
from .chat import Chat
from .engine import Engine, bundled_dialogues, keep_for_good
from .boundary import Parser, guarded
from .errors import ExitStatus, UsageError, did_you_mean
from .storage import StateFile, default_state_file, history_file

COMMANDS = {  # the subcommands, as `samantha --help` lists them
    "test": "test PATH...     run conversation scripts, with a diff per failure",
    "lint": "lint PATH...     check dialogue packs, on top of the bundled persona",
    "bench": "bench [PATH...]  time loading and replying",
    "help": "help [COMMAND]   this help, or a command's",
}


def chat_parser(stdout: TextIO, stderr: TextIO) -> Parser:
    commands_help = "\n".join(f"  samantha {line}" for line in COMMANDS.values())
    parser = Parser(stdout, stderr, prog="samantha", formatter_class=argparse.RawDescriptionHelpFormatter,
                    usage="%(prog)s [options]\n       %(prog)s {" + ",".join(COMMANDS) + "} ...",
                    description="Talk to Samantha: the REPL on a terminal; piped input is read a line per\n"
                                "turn (slash commands too), one reply or command output per line.\n\n"
                                "commands:\n" + commands_help,
                    epilog="exit status: 0 ok; 1 a failure (a test, lint errors, packs that cannot load);\n"
                           "2 a bad command line or an unusable path; 70 an internal error; 130 Ctrl-C")
    parser.add_argument("--json", action="store_true", help="one JSON object per reply or command")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same conversation")
    parser.add_argument("--dialogues", action="append", default=[], metavar="PATH",
                        help="a pack (file or folder) added on top of the bundled persona; repeatable")
    parser.add_argument("--state", type=Path, metavar="FILE",
                        help="where the relationship is kept (default: the XDG state folder, on a "
                             "terminal; piped input keeps no state unless this is given)")
    parser.add_argument("--no-state", action="store_true", help="keep nothing between runs (no load cache either)")
    parser.add_argument("--no-cache", action="store_true",
                        help="load the packs afresh, without the load cache in the XDG cache folder")
    parser.add_argument("--traceback", action="store_true",
                        help="on a failure, show Python's traceback (any command; for bug reports)")
    return parser


def lint_parser(stdout: TextIO, stderr: TextIO) -> Parser:
    parser = Parser(stdout, stderr, prog="samantha lint",
                    description="Check dialogue YAML packs the way --dialogues loads them: on top of the "
                                "bundled persona, reporting only the packs' own files.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="packs, merged in order")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--standalone", action="store_true",
                        help="check the packs alone, for packs meant to stand without the persona")
    return parser


def run() -> int:
    """The console script: main() on the process's streams; a reader that left (`| head`) ends it quietly."""
    try:
        return main()
    except BrokenPipeError:
        # Say nothing more, and let Python not complain while flushing at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitStatus.FAILURE


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Entry point; streams are parameters so tests need no terminal. `--traceback`, anywhere on
    the line, is taken out first (as httpie does), so it works even when the rest cannot be parsed."""
    argv = list(sys.argv[1:] if argv is None else argv)
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    traceback = "--traceback" in argv
    argv = [arg for arg in argv if arg != "--traceback"]
    return guarded(lambda: dispatch(argv, stdin, stdout, stderr), stderr, traceback)


def dispatch(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """The command named first (test, lint, bench, help), else the chat."""
    name, rest = (argv[0], argv[1:]) if argv else ("", [])
    if name == "test":
        from .runner import run_scripts
        return run_scripts(rest, stdout, stderr)
    if name == "lint":
        return lint(rest, stdout, stderr)
    if name == "bench":
        from .bench import main as bench
        return bench(rest, stdout, stderr)
    if name == "help":
        return help_command(rest, stdin, stdout, stderr)
    if name and not name.startswith("-"):
        hint = did_you_mean(name, COMMANDS)
        raise UsageError(f"unknown command '{name}'{'; ' + hint if hint else ''} (see 'samantha help')")
    return chat(argv, stdin, stdout, stderr)


def help_command(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """`samantha help`: the top-level help; `samantha help COMMAND`: that command's."""
    if argv and argv[0] not in ("help", "chat"):
        if argv[0] not in COMMANDS:
            raise UsageError(f"no command '{argv[0]}' to help with; the commands are {', '.join(COMMANDS)}")
        return dispatch([argv[0], "--help"], stdin, stdout, stderr)
    chat_parser(stdout, stderr).print_help()
    return ExitStatus.OK


def chat(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Talk to her: the REPL on a terminal, a line per turn otherwise."""
    args = chat_parser(stdout, stderr).parse_args(argv)
    interactive = stdin.isatty() and stdout.isatty() and not args.json
    state = None if args.no_state else open_state(args.state, interactive)
    load: Callable[[list[str]], Engine] = Engine.load
    if not (args.no_state or args.no_cache):
        from .cache import load
    # The bundled folder itself given (`--dialogues dialogues/` in a checkout) is not loaded twice.
    packs = [str(path) for path in loader.on_top_of(bundled_dialogues(), args.dialogues)]
    try:
        chat, away = Chat.open(packs, args.seed, state, notice=lambda text: print(text, file=stderr), load=load)
        chat.engine.warm()
        keep_for_good()
        for problem in chat.engine.content.warnings:
            if problem.message == loader.NOTHING_DEFINED:
                print(f"samantha: warning: {problem.location} {problem.message}", file=stderr)
        if interactive:
            from .repl import Repl
            opening = chat.opening(away)
            history = None if state is None else history_file()
            return Repl(chat, history).run(opening.text if opening else None)
        return run_piped(chat, stdin, stdout, as_json=args.json)
    finally:
        if state is not None:
            state.unlock()


def open_state(path: Path | None, interactive: bool) -> StateFile | None:
    """The state file, locked; None when piped without --state. A path that cannot be used is a
    UsageError before anything loads: a folder, a folder that does not exist, one not writable."""
    if path is None and not interactive:
        return None
    state = StateFile(path or default_state_file())
    named = f"--state {state.path}" if path is not None else f"the state file {state.path}"
    folder = state.path.parent
    if state.path.is_dir():
        raise UsageError(f"{named} is a folder; name a file in it, such as {state.path / 'session.json'}")
    if path is not None and not folder.is_dir():
        raise UsageError(f"{named}: {folder} {'is not a folder' if folder.exists() else 'does not exist'}")
    try:
        state.lock()  # makes the lock file beside it: proves the folder can be written
    except OSError as error:
        raise UsageError(f"{named}: cannot write in {folder} ({error.strerror or error}); "
                         "use --state FILE or --no-state") from None
    return state


def run_piped(chat: Chat, stdin: TextIO, stdout: TextIO, as_json: bool = False) -> int:
    """One output per non-blank line: her reply, or a slash command's output (plain lines, or one
    JSON object of its kind). Blank lines are skipped; /quit says her goodbye and ends the run."""
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(errors="replace")  # binary junk is read as text, never a crash
    for line in stdin:
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        going = True
        if text.strip().startswith("/"):
            output, going = piped_command(chat, text)
            record = {"kind": "command", "command": text.split()[0].lower(), "output": output}
        else:
            reply = chat.reply(text)
            output, record = reply.text, {"kind": "reply", **reply.to_dict()}
        stdout.write((json.dumps(record, ensure_ascii=False) if as_json else output) + "\n")
        stdout.flush()
        if not going:
            break
    return ExitStatus.OK


def piped_command(chat: Chat, line: str) -> tuple[str, bool]:
    """A slash command's output, and False when it ends the run (/quit: her goodbye is its output).
    Nobody can be asked here: the script asked for /reset, so it goes ahead, and says so."""
    said: list[str] = []

    def confirm(question: str) -> bool:
        said.append(f"{question.strip()} yes (piped input is not asked)")
        return True

    going = commands.run(chat, line, commands.Io(say=said.append, confirm=confirm))
    if not going and (goodbye := chat.goodbye()):
        said.append(goodbye)
    return "\n".join(said), going


def lint(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    """Compiler-style lines for every problem; exit 1 on errors (and on warnings with --strict)."""
    from .lint import lint as find_problems
    args = lint_parser(stdout, stderr).parse_args(argv)
    problems, notes = find_problems(args.paths, persona=not args.standalone)
    for problem in problems:
        print(problem.render(), file=stdout)
    for note in notes:
        print(note.replace(": ", ": note: ", 1) if ": " in note else f"note: {note}", file=stdout)
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    checked = args.paths[0] if len(args.paths) == 1 else f"{len(args.paths)} packs"
    print(f"{checked}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", file=stdout)
    return ExitStatus.FAILURE if errors or (warnings and args.strict) else ExitStatus.OK
