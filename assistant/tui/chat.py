"""The chat: the user's question (shown literally) and the answer (drawn from its Markdown).

User text is shown with `Text` objects, never markup. Answers are our own Markdown, drawn by
`AnswerView`; their citation marks "[1, 2]" can be clicked to open the passage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from assistant.tui.answer_view import AnswerView
from assistant.tui.safe_text import clean_block, clean_input

if TYPE_CHECKING:
    from assistant.conversation import Reply

SHOW_USER_CHARS = 4000  # a pasted document is shown cut; the whole text is still asked and journaled


class UserMessage(Static):
    """The user's words, exactly (control characters made visible)."""

    def __init__(self, text: str, turn: int) -> None:
        shown = clean_input(text[:SHOW_USER_CHARS])
        body = Text.assemble(("You ", "bold"), (f"(turn {turn})", "dim"), "\n", shown)
        if len(text) > SHOW_USER_CHARS:
            body.append(f" … ({len(text) - SHOW_USER_CHARS:,} more characters not shown)", "dim italic")
        super().__init__(body, classes="user-message", markup=False)
        self.user_text = text


class AnswerMessage(AnswerView):
    """An answer drawn from its Markdown, its citation numbers clickable."""

    def __init__(self, markdown: str, turn: int) -> None:
        super().__init__(markdown, turn, classes="answer-message")
        self.reply: Reply | None = None


class PlainMessage(Static):
    """A plain-text reply (why / sources / missing / messages), shown literally."""

    def __init__(self, text: str, classes: str = "plain-message") -> None:
        super().__init__(Text(clean_block(text.rstrip())), classes=classes, markup=False)
        self.plain_text = text


class ChatLog(VerticalScroll):
    """The scrolling conversation."""

    def add(self, *widgets: Widget) -> None:
        """Append widgets and scroll so the first of them (the question) is at the top."""
        self.mount_all(widgets)
        if widgets:
            first = widgets[0]
            self.call_after_refresh(self.scroll_to_widget, first, top=True, animate=False)

    def clear_log(self) -> None:
        self.remove_children()
