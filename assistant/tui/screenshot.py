"""Save an SVG screenshot of the app answering the seed question (for the README).

    .venv/bin/python -m assistant.tui.screenshot docs/screenshot.svg [--panel facts|reasoning|picture]

The app draws itself headless at a fixed size and saves the frame with `App.save_screenshot`
(the same as F9 in the running app).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

SEED = (
    "What is the appropriate management for a patient with osteopenia "
    "(T\u2011score \u20131.1 at total left hip and \u20131.7 at left femoral neck)?"
)
FOLLOW_UP = "She is 67; FRAX 11% major, 1.4% hip."
PANEL_KEYS = {"facts": "f3", "reasoning": "f4", "picture": "f6"}


async def _shoot(path: Path, panel: str, size: tuple[int, int]) -> Path:
    from textual.widgets import Input

    from assistant.tui.app import AssistantApp

    app = AssistantApp(offer_resume=False)
    async with app.run_test(size=size) as pilot:
        await asyncio.get_running_loop().run_in_executor(None, app.chat._ready.wait)
        box = app.chat.query_one("#prompt", Input)
        box.cursor_blink = False
        for q in (SEED, FOLLOW_UP):
            box.value = q
            await pilot.press("enter")
            await pilot.pause()
        if panel != "facts":
            await pilot.press(PANEL_KEYS[panel])
            await pilot.pause()
        path.parent.mkdir(parents=True, exist_ok=True)
        saved = app.save_screenshot(filename=path.name, path=str(path.parent))
    return Path(saved)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Save an SVG screenshot of the app answering the seed question.")
    p.add_argument("path", nargs="?", default="docs/screenshot.svg")
    p.add_argument("--panel", choices=sorted(PANEL_KEYS), default="picture")
    p.add_argument("--size", default="110x34", help="WIDTHxHEIGHT")
    args = p.parse_args(argv)
    width, height = (int(x) for x in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory() as state:  # never resume or journal into the user's own state
        os.environ["XDG_STATE_HOME"] = state
        saved = asyncio.run(_shoot(Path(args.path), args.panel, (width, height)))
    print(saved)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
