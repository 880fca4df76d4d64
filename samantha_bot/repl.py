"""The terminal chat: a prompt_toolkit loop with history; Ctrl-C clears the line, Ctrl-D leaves."""
from __future__ import annotations

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.formatted_text import FormattedText

from .errors import ExitStatus
from .session import Session


def run_repl(session: Session) -> int:
    prompt: PromptSession[str] = PromptSession()
    print_formatted_text(FormattedText([("ansibrightblack", "(Ctrl-D to leave)")]))
    while True:
        try:
            text = prompt.prompt("you> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            return ExitStatus.OK
        reply = session.reply(text)
        print_formatted_text(FormattedText([("ansimagenta bold", "Samantha: "), ("", reply.text)]))
