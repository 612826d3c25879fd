"""DXA report tables: a header row naming the columns, then one row per site.

    Region            BMD (g/cm2)   T-score   Z-score
    L1-L4             0.912         -1.9      -0.6
    Left femoral neck 0.701         -2.1      -0.8

Each row's numbers are given to the columns in order, only when the counts agree; the numbers
read here are taken out of the text the other readers see, so a BMD or a Z-score in a table is
never read as a T-score.
"""

from __future__ import annotations

import re

from assistant.parse.found import Found, Reading
from assistant.parse.lexicon import Match
from assistant.parse.scores import T_SCORE_RANGE, Z_SCORE_RANGE

COLUMN = re.compile(
    r"\b(?:(?P<t>t[\s-]?scores?)|(?P<z>z[\s-]?scores?)|(?P<bmd>bmd|g/cm2?)|(?P<pct>%\s*(?:young|ya|peak|age)\w*))"
)
CELL = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?![\w.])")


def read_tables(text: str, original: str, matches: list[Match], r: Reading | None = None) -> Reading:
    if r is None:
        r = Reading()
    if "\n" not in original:
        return r
    lines: list[tuple[int, int]] = []
    start = 0
    for k, ch in enumerate(original):
        if ch == "\n":
            lines.append((start, k))
            start = k + 1
    lines.append((start, len(original)))
    columns: list[str] | None = None
    site_at = {m.start: m for m in matches if m.concept.category == "site" and m.concept.dxa}
    for a, b in lines:
        line = text[a:b]
        if not line.strip():
            columns = None
            continue
        cols: list[str] = []
        for m in COLUMN.finditer(line):
            col = next(k for k, v in m.groupdict().items() if v)
            if col not in cols:  # "BMD (g/cm2)" is one column
                cols.append(col)
        if len(cols) >= 2 and ("t" in cols or "z" in cols):
            columns = cols
            continue
        if columns is None:
            continue
        lead = len(line) - len(line.lstrip())
        site = _site_in(site_at, a + lead, b)
        if site is None:
            continue
        cells = [c for c in CELL.finditer(line) if c.start() + a >= site.end]
        if len(cells) != len(columns):
            continue
        for col, cell in zip(columns, cells, strict=True):
            s, e = a + cell.start(), a + cell.end()
            r.consumed.append((s, e))
            value = float(cell.group())
            if col in ("t", "z"):
                lo, hi = T_SCORE_RANGE if col == "t" else Z_SCORE_RANGE
                if lo <= value <= hi:
                    field = "t_scores" if col == "t" else "z_scores"
                    r.found.append(Found(f"{field}.{site.concept.dxa}", value, site.start, e, policy="lowest"))
            elif col == "bmd":
                r.extra_mentions.append(("bmd_raw", "measurement", s, e, f"{value:g} g/cm2"))
    return r


def _site_in(site_at: dict[int, Match], a: int, b: int) -> Match | None:
    for pos in range(a, min(b, a + 12)):
        m = site_at.get(pos)
        if m is not None:
            return m
    return None
