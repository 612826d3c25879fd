"""A picture where it beats words: T-scores per site against the WHO bands, FRAX against thresholds.

Drawn with `Text` (no markup). Every limit comes from `bands()` (the engine's constants); the
scale around them is only a drawing range.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from assistant.picture_data import Bands, bands, frax_rows, t_score_rows

if TYPE_CHECKING:
    from assistant.facts import Facts

LABEL_WIDTH = 14
MIN_BAR = 16
# Colours chosen to read on both light and dark themes; the fill characters differ too, so the
# bands stay distinct without colour.
OSTEOPOROSIS_STYLE = ("▓", "red")
LOW_STYLE = ("▒", "yellow")
NORMAL_STYLE = ("░", "green")


def _scale(values: list[float], b: Bands) -> tuple[float, float]:
    """A drawing range that holds the values and both band limits, one T unit of margin."""
    points = list(values) + [x for x in (b.normal_t, b.osteoporosis_t) if x is not None]
    lo = min(points) if points else -1.0
    hi = max(points) if points else 1.0
    return lo - 1.0, hi + 1.0


def _col(value: float, lo: float, hi: float, width: int) -> int:
    frac = (value - lo) / (hi - lo) if hi > lo else 0.5
    return max(0, min(width - 1, round(frac * (width - 1))))


def t_score_picture(f: Facts, width: int, b: Bands | None = None) -> Text:
    b = b or bands()
    out = Text()
    out.append("T-scores against the WHO bands\n", "bold")
    sites = [(row.site, row.value) for row in t_score_rows(f, b)]
    if not sites:
        out.append("No T-scores yet.\n", "dim")
        return out
    if b.normal_t is None or b.osteoporosis_t is None:
        out.append("(band limits not available from the engine yet)\n", "dim")
    bar = max(MIN_BAR, width - LABEL_WIDTH - 8)
    lo, hi = _scale([v for _, v in sites], b)

    def band(x: float) -> tuple[str, str]:
        if b.osteoporosis_t is not None and x <= b.osteoporosis_t:
            return OSTEOPOROSIS_STYLE
        if b.normal_t is not None and x < b.normal_t:
            return LOW_STYLE
        if b.normal_t is None:
            return ("─", "dim")
        return NORMAL_STYLE

    for name, value in sites:
        out.append(f"{name[:LABEL_WIDTH]:<{LABEL_WIDTH}}")
        out.append(f"{value:>6.1f}  ", "bold")
        mark = _col(value, lo, hi, bar)
        for i in range(bar):
            x = lo + (hi - lo) * i / (bar - 1)
            char, style = band(x)
            if i == mark:
                out.append("◆", "bold reverse")
            else:
                out.append(char, style)
        out.append("\n")
    # Axis: the two band limits under their columns.
    axis = [" "] * bar
    for limit in (b.osteoporosis_t, b.normal_t):
        if limit is None:
            continue
        text = f"{limit:.1f}"
        c = _col(limit, lo, hi, bar)
        start = max(0, min(bar - len(text), c - len(text) // 2))
        axis[start : start + len(text)] = list(text)
    out.append(" " * (LABEL_WIDTH + 8) + "".join(axis) + "\n", "dim")
    if b.normal_t is not None and b.osteoporosis_t is not None:
        items = [
            (f"{OSTEOPOROSIS_STYLE[0]} osteoporosis ≤ {b.osteoporosis_t:.1f}", OSTEOPOROSIS_STYLE[1]),
            (f"{LOW_STYLE[0]} low bone mass", LOW_STYLE[1]),
            (f"{NORMAL_STYLE[0]} normal ≥ {b.normal_t:.1f}", NORMAL_STYLE[1]),
        ]
        used = 0
        for text, style in items:
            if used and used + 3 + len(text) > width:
                out.append("\n")
                used = 0
            elif used:
                out.append("   ")
                used += 3
            out.append(text, style)
            used += len(text)
        out.append("\n")
    return out


def frax_picture(f: Facts, width: int, b: Bands | None = None) -> Text:
    from assistant.statements import num

    b = b or bands()
    out = Text()
    out.append("FRAX 10-year probability against the treatment thresholds\n", "bold")
    rows = frax_rows(f, b)
    if not rows:
        out.append("No FRAX values yet.\n", "dim")
        return out
    bar = max(MIN_BAR, width - LABEL_WIDTH - 8)
    for row in rows:
        name, value, limit = row.name, row.value, row.limit
        out.append(f"{name:<{LABEL_WIDTH}}")
        out.append(f"{num(value) + '%':>6}  ", "bold")
        top = max(2 * limit, value * 1.1) if limit is not None else max(value * 1.25, 1.0)
        filled = _col(value, 0.0, top, bar) + 1 if value > 0 else 0
        tick = _col(limit, 0.0, top, bar) if limit is not None else -1
        over = row.over
        for i in range(bar):
            if i == tick:
                out.append("┃", "bold")
            elif i < filled:
                out.append("█", "red" if over else "green")
            else:
                out.append("·", "dim")
        out.append("\n")
        if limit is not None:
            verdict = "at or over" if over else "under"
            out.append(" " * (LABEL_WIDTH + 8) + f"{verdict} the {num(limit)}% threshold\n", "dim")
        else:
            out.append(" " * (LABEL_WIDTH + 8) + "(threshold not available from the engine yet)\n", "dim")
    return out


class Picture(Widget):
    """Both pictures, redrawn for the current width."""

    DEFAULT_CSS = "Picture { height: auto; }"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._facts: Facts | None = None
        self._note = ""

    def show(self, f: Facts, note: str = "") -> None:
        self._facts = f
        self._note = note
        self.refresh(layout=True)

    def render(self) -> Text:
        width = max(30, self.size.width or 60)
        out = Text()
        if self._facts is None:
            out.append("T-scores against the WHO bands and FRAX against the treatment thresholds are drawn "
                       "here once given.", "dim")
            return out
        if self._note:
            out.append(self._note + "\n\n", "italic")
        out.append_text(t_score_picture(self._facts, width))
        out.append("\n")
        out.append_text(frax_picture(self._facts, width))
        return out

    def plain(self) -> str:
        return self.render().plain

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return len(self.render().wrap(self.app.console, max(1, width)))
