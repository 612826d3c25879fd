"""The handout's picture as inline SVG: T-scores per site against the WHO bands, FRAX against the
treatment thresholds. The values and limits come from assistant/picture_data.py, the same data the
app's picture draws; this module only places them. The markup is prompts/handout_picture.svg.j2."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from assistant.html_templates import html_template
from assistant.picture_data import Bands, bands, frax_rows, t_score_rows
from assistant.statements import num

if TYPE_CHECKING:
    from assistant.facts import Facts

# A narrow drawing with large type: it stays legible when a narrow window or 200% zoom scales it down.
WIDTH = 520
BAR_X0 = 170  # where the bars start (labels and values to the left)
BAR_X1 = 505
ROW = 32  # height of one row


def _x(value: float, lo: float, hi: float) -> float:
    frac = (value - lo) / (hi - lo) if hi > lo else 0.5
    return round(BAR_X0 + max(0.0, min(1.0, frac)) * (BAR_X1 - BAR_X0), 1)


def _t_chart(f: Facts, b: Bands) -> dict[str, Any] | None:
    rows = t_score_rows(f, b)
    if not rows:
        return None
    # The drawing range holds the values and both limits, one T unit of margin (as in the app).
    points = [r.value for r in rows] + [x for x in (b.normal_t, b.osteoporosis_t) if x is not None]
    lo, hi = min(points) - 1.0, max(points) + 1.0
    top, height = 34, ROW * len(rows)
    regions = []
    if b.osteoporosis_t is not None and b.normal_t is not None:
        o, n = _x(b.osteoporosis_t, lo, hi), _x(b.normal_t, lo, hi)
        regions = [
            {"cls": "osteoporosis", "x": BAR_X0, "w": round(o - BAR_X0, 1), "name": "osteoporosis"},
            {"cls": "low", "x": o, "w": round(n - o, 1), "name": "low bone mass"},
            {"cls": "normal", "x": n, "w": round(BAR_X1 - n, 1), "name": "normal"},
        ]
    limits = [{"x": _x(v, lo, hi), "text": num(v)} for v in (b.osteoporosis_t, b.normal_t) if v is not None]
    marks = []
    for i, r in enumerate(rows):
        y = top + i * ROW + ROW / 2
        band = {"osteoporosis": "osteoporosis", "low": "low bone mass", "normal": "normal"}.get(r.band or "", "")
        marks.append({"site": r.site, "value": num(r.value), "band": band, "x": _x(r.value, lo, hi), "y": y})
    return {"top": top, "height": height, "regions": regions, "limits": limits, "marks": marks,
            "bottom": top + height, "known": bool(regions)}


def _frax_chart(f: Facts, b: Bands, y0: int) -> dict[str, Any] | None:
    rows = frax_rows(f, b)
    if not rows:
        return None
    top = y0 + 34
    bars = []
    for i, r in enumerate(rows):
        # As in the app: the bar's scale reaches twice the threshold (or a little past the value).
        scale = max(2 * r.limit, r.value * 1.1) if r.limit is not None else max(r.value * 1.25, 1.0)
        y = top + i * (ROW + 18)
        bars.append(
            {
                "name": r.name,
                "value": num(r.value),
                "w": round(_x(r.value, 0.0, scale) - BAR_X0, 1),
                "tick": _x(r.limit, 0.0, scale) if r.limit is not None else None,
                "limit": num(r.limit) if r.limit is not None else None,
                "over": r.over,
                "y": y,
                "verdict": "at or over" if r.over else "under",
            }
        )
    return {"top": top, "bars": bars, "bottom": top + len(rows) * (ROW + 18)}


def picture_svg(f: Facts, *, what_if: bool = False, key: str = "pic") -> Markup | None:
    """The SVG for these facts, or None when there is neither a T-score nor a FRAX value. `key` makes its
    element ids unique on the page."""
    b = bands()
    t = _t_chart(f, b)
    y = (t["bottom"] + 52) if t else 0
    fr = _frax_chart(f, b, y)
    if t is None and fr is None:
        return None
    height = (fr["bottom"] if fr else t["bottom"] + 44) + 10  # type: ignore[index]
    svg = html_template("handout_picture.svg.j2").render(
        width=WIDTH, height=height, x0=BAR_X0, x1=BAR_X1, row=ROW, t=t, frax=fr, frax_y=y, what_if=what_if, key=key,
    )
    return Markup(svg)  # noqa: S704 - rendered by an autoescaping template
