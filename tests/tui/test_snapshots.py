"""SVG snapshots of the main screens (pytest-textual-snapshot), at a fixed size, cursor blink off.

The answers' wording comes from the engine's templates: when it changes, re-record with
    .venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update
and look at the new SVGs before committing them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input

from assistant.tui.app import AssistantApp
from tests.tui.helpers import SEED_QUESTION

SIZE = (100, 34)
FOLLOW_UP = "She is 67; FRAX 11% major, 1.4% hip."


def conversation(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        assert isinstance(app, AssistantApp)
        await asyncio.get_running_loop().run_in_executor(None, app.chat._ready.wait)
        box = app.chat.query_one("#prompt", Input)
        box.cursor_blink = False
        for q in (SEED_QUESTION, FOLLOW_UP):
            box.value = q
            await pilot.press("enter")
            await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()

    return run_before


def test_chat_with_facts_panel(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(AssistantApp(offer_resume=False), terminal_size=SIZE, run_before=conversation())


def test_reasoning_panel(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(AssistantApp(offer_resume=False), terminal_size=SIZE, run_before=conversation("f4"))


def test_picture_panel(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(AssistantApp(offer_resume=False), terminal_size=SIZE, run_before=conversation("f6"))
