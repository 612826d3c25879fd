"""The screen as plain text (what a terminal would show): for tests and for the tmux check's peers."""

from __future__ import annotations

from textual.app import App


def screen_text(app: App) -> str:
    """Every cell of the current screen, one line per row, trailing spaces removed."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)
