"""The terminal chat, built from prompt_toolkit parts: history, suggestions, completion, a toolbar."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter, WordCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style
from prompt_toolkit.utils import get_cwidth

from . import commands
from .chat import Chat
from .errors import ExitStatus
from .render import printable
from .files import private_file
from .wrapping import fill

STYLE = Style.from_dict({
    "samantha": "ansimagenta bold",
    "said": "",
    "note": "ansibrightblack",
    "prompt": "bold",
    "bottom-toolbar": "noreverse ansibrightblack",
})
LABEL = "Samantha: "


class SlashCompleter(Completer):
    """Tab completion: a slash command from any prefix, then its argument (card ids, paths)."""

    def __init__(self, chat: Chat):
        self.chat = chat  # read live: /reload replaces chat.engine
        # WORD=True: the default word stops at '/', so "/wh" was read as "wh" and matched nothing.
        self.names = WordCompleter(list(commands.COMMANDS), ignore_case=True, WORD=True)
        self.arguments: dict[str, Completer] = {
            "/whynot": WordCompleter(self.card_ids, WORD=True),
            "/record": PathCompleter(expanduser=True),
        }

    def card_ids(self) -> list[str]:
        """Every card id, and the setup steps as setup.<step>, of the dialogues loaded now."""
        engine = self.chat.engine
        return sorted([*engine.cards_by_id, *(f"setup.{step.id}" for step in engine.setup)])

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        text = document.text_before_cursor.lstrip()
        if not text.startswith("/"):
            return
        if " " not in text:
            yield from self.names.get_completions(document, complete_event)
            return
        name, _, argument = text.partition(" ")
        completer = self.arguments.get(name.lower())
        if completer is not None:
            argument = argument.lstrip()
            yield from completer.get_completions(Document(argument, len(argument)), complete_event)


class Repl:
    """The loop: read a line, run a slash command or pass it to her, print what she says."""

    def __init__(self, chat: Chat, history: Path | None = None,
                 input: Input | None = None, output: Output | None = None):
        self.chat = chat
        store: History = InMemoryHistory()
        if history is not None:
            private_file(history)
            store = FileHistory(str(history))
        self.prompt: PromptSession[str] = PromptSession(
            history=store, auto_suggest=AutoSuggestFromHistory(), completer=SlashCompleter(chat),
            complete_while_typing=False, bottom_toolbar=self.toolbar,
            style=STYLE, input=input, output=output)
        self.output = self.prompt.app.output  # the terminal the prompt draws on, and its size
        self.io = commands.Io(say=self.note, confirm=self.confirm, her=self.her)

    def width(self) -> int:
        """The terminal's width now: asked at every print, so lines after a resize fit it."""
        return max(1, self.output.get_size().columns)

    def toolbar(self) -> str:
        """The progress line, or a shorter form of it when the terminal is too narrow; never cut."""
        fitting = (text for text in commands.progress_forms(self.chat) if get_cwidth(text) <= self.width())
        return next(fitting, "")

    def show(self, *parts: tuple[str, str]) -> None:
        print_formatted_text(FormattedText(list(parts)), style=STYLE, output=self.output)

    def her(self, text: str) -> None:
        lines = fill(printable(text), self.width(), LABEL)
        self.show(("class:samantha", LABEL), ("class:said", "\n".join(lines)))

    def note(self, text: str) -> None:
        self.show(("class:note", "\n".join(fill(printable(text), self.width()))))

    def confirm(self, question: str) -> bool:
        """A yes/no question, wrapped like a note (and re-wrapped if the terminal is resized)."""
        def asking() -> str:
            text = printable(question).rstrip()
            return "\n".join(fill(text, self.width())) + question[len(question.rstrip()):]

        try:
            return self.prompt.prompt(asking).strip().lower() in ("y", "yes")
        except (KeyboardInterrupt, EOFError):
            return False

    def run(self, welcome: str | None = None) -> int:
        """Talk until Ctrl-D or /quit. She speaks first: `welcome`, or her opening on a fresh setup."""
        self.note("Talking to Samantha. /help for commands, Ctrl-D to leave.")
        if welcome is None and not self.chat.turns and self.chat.session.phase == "setup":
            opening = self.chat.opening(None)
            welcome = opening.text if opening else None
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
        goodbye = self.chat.goodbye()
        if goodbye:
            self.her(goodbye)
        return ExitStatus.OK
