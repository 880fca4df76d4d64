"""The terminal chat, built from prompt_toolkit parts: history, suggestions, completion, a toolbar."""
from __future__ import annotations

from pathlib import Path

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import NestedCompleter, PathCompleter
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style

from . import commands
from .chat import Chat
from .errors import ExitStatus
from .render import printable
from .storage import private_file

STYLE = Style.from_dict({
    "samantha": "ansimagenta bold",
    "said": "",
    "note": "ansibrightblack",
    "prompt": "bold",
    "bottom-toolbar": "noreverse ansibrightblack",
})


class Repl:
    """The loop: read a line, run a slash command or pass it to her, print what she says."""

    def __init__(self, chat: Chat, history: Path | None = None,
                 input: Input | None = None, output: Output | None = None):
        self.chat, self.output = chat, output
        store: History = InMemoryHistory()
        if history is not None:
            private_file(history)
            store = FileHistory(str(history))
        completer = NestedCompleter.from_nested_dict(
            {name: (PathCompleter(expanduser=True) if name == "/record" else None)
             for name in commands.COMMANDS})
        self.prompt: PromptSession[str] = PromptSession(
            history=store, auto_suggest=AutoSuggestFromHistory(), completer=completer,
            complete_while_typing=False, bottom_toolbar=lambda: commands.progress(self.chat),
            style=STYLE, input=input, output=output)
        self.io = commands.Io(say=self.note, confirm=self.confirm)

    def show(self, *parts: tuple[str, str]) -> None:
        print_formatted_text(FormattedText(list(parts)), style=STYLE, output=self.output)

    def her(self, text: str) -> None:
        self.show(("class:samantha", "Samantha: "), ("class:said", printable(text)))

    def note(self, text: str) -> None:
        self.show(("class:note", printable(text)))

    def confirm(self, question: str) -> bool:
        try:
            return self.prompt.prompt(question, bottom_toolbar=None).strip().lower() in ("y", "yes")
        except (KeyboardInterrupt, EOFError):
            return False

    def run(self, welcome: str | None = None) -> int:
        self.note("Talking to Samantha. /help for commands, Ctrl-D to leave.")
        if welcome:
            self.her(welcome)
        while True:
            try:
                text = self.prompt.prompt([("class:prompt", "you> ")])
            except KeyboardInterrupt:
                continue  # Ctrl-C clears the line
            except EOFError:
                break
            if text.strip().startswith("/"):
                if not commands.run(self.chat, text, self.io):
                    break
                continue
            self.her(self.chat.reply(text).text)
        self.her(self.chat.goodbye())
        return ExitStatus.OK
