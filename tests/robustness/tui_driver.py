"""Drive the terminal app headless (App.run_test) with hostile messages; collect what went wrong.

For each message: type it (set the Input's value, press Enter: pressing each key costs ~65 ms), wait,
then check the app still runs, recorded no internal error, shows the user's words literally (not
read as markup: "[/]" must show as "[/]", "[@click=app.quit]x[/]" must not become an action) and
mounted an answer or a message after it.
"""

from __future__ import annotations

from typing import Any

from textual.geometry import Region

SIZE = (120, 40)


def rendered_text(widget: Any) -> str:
    """The characters a widget shows (its rendered content, or its drawn lines), without styles."""
    width, height = widget.size.width or SIZE[0], max(widget.size.height, 1)
    strips = widget.render_lines(Region(0, 0, width, height))  # draws it: a markup error would raise here
    plain = getattr(widget.render(), "plain", None)
    if isinstance(plain, str):
        return plain
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def _squash(text: str) -> str:
    return "".join(text.split())


async def drive_app(texts: list[str]) -> list[str]:
    from assistant.tui.app import AssistantApp
    from assistant.tui.chat import UserMessage
    from assistant.tui.prompt_input import PromptInput
    from assistant.tui.safe_text import clean_input

    problems: list[str] = []
    app = AssistantApp(profile="us", offer_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        for text in texts:
            label = repr(text[:40])
            box = app.query_one(PromptInput)
            box.value = text
            await pilot.press("enter")
            await pilot.pause()
            if not app.is_running or app.return_code is not None:
                problems.append(f"{label}: the app stopped (return code {app.return_code})")
                break
            errors = list(getattr(app.chat, "errors", []))
            if errors:
                problems.append(f"{label}: internal error recorded: {errors[-1][:300]}")
                app.chat.errors.clear()
            shown = clean_input(text)
            if not shown.strip():
                continue  # blank input is ignored by design: nothing to show
            users = list(app.query(UserMessage))
            if not users:
                problems.append(f"{label}: the user's message is not shown")
                continue
            last = users[-1]
            seen = rendered_text(last)
            if _squash(shown)[:200] not in _squash(seen):
                problems.append(f"{label}: shown as {seen[:120]!r}, not literally")
            if last is list(app.screen.query("ChatLog > *"))[-1]:
                problems.append(f"{label}: no answer or message after the question")
    return problems
