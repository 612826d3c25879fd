"""The question box: history with up/down, and multi-line paste kept whole (lines joined)."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from assistant.tui.safe_text import clean_input

MAX_HISTORY = 500


class PromptInput(Input):
    """The question box. It keeps the focus: PageUp/PageDown scroll the chat from here, and Home/End
    (in an empty box, or with Ctrl) jump to the chat's start or end."""

    BINDINGS = [
        Binding("up", "history(-1)", "Previous question", show=False),
        Binding("down", "history(1)", "Next question", show=False),
        Binding("pageup", "scroll_chat('page_up')", "Scroll the chat up", show=False),
        Binding("pagedown", "scroll_chat('page_down')", "Scroll the chat down", show=False),
        Binding("ctrl+home", "scroll_chat('scroll_home')", "Chat start", show=False),
        Binding("ctrl+end", "scroll_chat('scroll_end')", "Chat end", show=False),
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

    def action_scroll_chat(self, how: str) -> None:
        """Scroll the chat (the screen's #chat) without taking the focus from the box."""
        try:
            chat = self.screen.query_one("#chat")
        except Exception:
            return
        if how in ("scroll_home", "scroll_end"):
            getattr(chat, how)(animate=False)
        else:
            getattr(chat, f"scroll_{how}")(animate=False)

    def action_home(self, select: bool = False) -> None:
        if not self.value and not select:
            self.action_scroll_chat("scroll_home")
            return
        super().action_home(select)

    def action_end(self, select: bool = False) -> None:
        if not self.value and not select:
            self.action_scroll_chat("scroll_end")
            return
        super().action_end(select)

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
