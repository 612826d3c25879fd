"""The chat: the user's question (shown literally) and the answer (Markdown with citation links).

User text is shown with `Text` objects, never markup. Answers are our own Markdown; their citation
marks "[1, 2]" become links the user can click to open the passage.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from assistant.tui.safe_text import clean_block, clean_input

# "[1]" or "[1, 2]" not followed by "(" (already a link) and not preceded by "\" (escaped).
_CITATION = re.compile(r"(?<!\\)\[(\d{1,3}(?:,\s*\d{1,3})*)\](?!\()")
CITE_SCHEME = "cite:"


def link_citations(markdown: str) -> str:
    """Turn citation marks into links: "[1, 2]" -> "\\[[1](cite:1), [2](cite:2)\\]"."""

    def repl(m: re.Match[str]) -> str:
        numbers = [n.strip() for n in m.group(1).split(",")]
        return "\\[" + ", ".join(f"[{n}]({CITE_SCHEME}{n})" for n in numbers) + "\\]"

    return _CITATION.sub(repl, markdown)


class UserMessage(Static):
    """The user's words, exactly (control characters made visible)."""

    def __init__(self, text: str, turn: int) -> None:
        body = Text.assemble(("You ", "bold"), (f"(turn {turn})", "dim"), "\n", clean_input(text))
        super().__init__(body, classes="user-message", markup=False)
        self.user_text = text


class AnswerMessage(Markdown):
    """An answer rendered as Markdown, its citations clickable."""

    def __init__(self, markdown: str, turn: int) -> None:
        super().__init__(link_citations(clean_block(markdown)), classes="answer-message", open_links=False)
        self.turn = turn
        self.source_markdown = markdown


class PlainMessage(Static):
    """A plain-text reply (why / sources / missing / messages), shown literally."""

    def __init__(self, text: str, classes: str = "plain-message") -> None:
        super().__init__(Text(clean_block(text.rstrip())), classes=classes, markup=False)
        self.plain_text = text


class ChatLog(VerticalScroll):
    """The scrolling conversation."""

    def add(self, *widgets: Static | Markdown) -> None:
        """Append widgets and scroll so the first of them (the question) is at the top."""
        self.mount_all(widgets)
        if widgets:
            first = widgets[0]
            self.call_after_refresh(self.scroll_to_widget, first, top=True, animate=False)

    def clear_log(self) -> None:
        self.remove_children()
