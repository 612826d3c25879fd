"""Helpers for the terminal app's pilot tests."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from assistant.tui.app import AssistantApp
from assistant.tui.chat import AnswerMessage, PlainMessage, UserMessage
from assistant.tui.screen_text import screen_text

SEED_QUESTION = (
    "What is the appropriate management for a patient with osteopenia "
    "(T\u2011score \u20131.1 at total left hip and \u20131.7 at left femoral neck)?"
)


async def type_question(pilot: Pilot, text: str) -> None:
    """Put the text in the question box and press Enter (one key press; typing costs ~65 ms a key)."""
    app = pilot.app
    assert isinstance(app, AssistantApp)
    box = app.chat.query_one("#prompt", Input)
    box.focus()
    box.value = text
    await pilot.press("enter")
    await pilot.pause()


def chat_texts(app: AssistantApp) -> list[str]:
    """Everything in the chat log, in order: user messages, answers (Markdown source), plain replies."""
    out: list[str] = []
    for w in app.chat.query("#chat > *"):
        if isinstance(w, UserMessage):
            out.append("USER: " + w.user_text)
        elif isinstance(w, AnswerMessage):
            out.append("ANSWER: " + w.source_markdown)
        elif isinstance(w, PlainMessage):
            out.append("PLAIN: " + w.plain_text)
    return out


def facts_text(app: AssistantApp) -> str:
    from assistant.tui.facts_panel import FactsPanel

    return app.chat.query_one(FactsPanel).plain()


def reasoning_text(app: AssistantApp) -> str:
    from assistant.tui.reasoning_panel import ReasoningPanel

    return app.chat.query_one(ReasoningPanel).plain()


def picture_text(app: AssistantApp) -> str:
    from assistant.tui.picture import Picture

    return app.chat.query_one(Picture).plain()


__all__ = [
    "SEED_QUESTION",
    "type_question",
    "chat_texts",
    "facts_text",
    "reasoning_text",
    "picture_text",
    "screen_text",
]
