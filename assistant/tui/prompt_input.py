"""The question box: history with up/down, and multi-line paste kept whole (lines joined)."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from assistant.tui.safe_text import clean_input

MAX_HISTORY = 500


class PromptInput(Input):
    BINDINGS = [
        Binding("up", "history(-1)", "Previous question", show=False),
        Binding("down", "history(1)", "Next question", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.history: list[str] = []
        self._pos: int | None = None  # index into history while browsing
        self._draft = ""

    def remember(self, text: str) -> None:
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
            del self.history[:-MAX_HISTORY]
        self._pos = None
        self._draft = ""

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._pos is None:
            if step > 0:
                return
            self._draft = self.value
            self._pos = len(self.history)
        pos = self._pos + step
        if pos < 0:
            pos = 0
        if pos >= len(self.history):
            self._pos = None
            self.value = self._draft
        else:
            self._pos = pos
            self.value = self.history[pos]
        self.cursor_position = len(self.value)

    def _on_paste(self, event: events.Paste) -> None:
        """A pasted note keeps all its lines (joined by spaces), not only the first."""
        if event.text:
            text = clean_input(event.text)
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        event.stop()
        event.prevent_default()  # Input's own handler would insert the first line again
