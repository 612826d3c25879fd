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
        if "score" in text:
            _read_inline(text, matches, r)
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
        _row(columns, site, [(a + c.start(), a + c.end(), c.group()) for c in cells], r)
    return r


def _row(columns: list[str], site: Match, cells: list[tuple[int, int, str]], r: Reading) -> None:
    """One row's cells, given to the columns in order (the counts agree)."""
    for col, (s, e, raw) in zip(columns, cells, strict=True):
        r.consumed.append((s, e))
        value = float(raw)
        if col in ("t", "z"):
            lo, hi = T_SCORE_RANGE if col == "t" else Z_SCORE_RANGE
            if lo <= value <= hi:
                field = "t_scores" if col == "t" else "z_scores"
                r.found.append(Found(f"{field}.{site.concept.dxa}", value, site.start, e, policy="lowest"))
        elif col == "bmd":
            r.extra_mentions.append(("bmd_raw", "measurement", s, e, f"{value:g} g/cm2"))


HEADER_GAP = re.compile(r"[\s/|,;:()\[\]-]*")  # between two column names of a header on one line
ROW_GAP = re.compile(r"\s*[|,;:]?\s*")  # between a row's site and its cells, and between cells


def _read_inline(text: str, matches: list[Match], r: Reading) -> None:
    """A table pasted onto one line (a chat box or a batch file has no line breaks): "Region / BMD /
    T-score / Z-score L1-L4 0.901 -1.9 -0.8 Left FN 0.655 -1.8 -0.6". After a header naming two or more
    columns (one a T- or Z-score), each DXA site followed by exactly as many numbers as columns is a row."""
    cols: list[str] = []
    end = -1
    for m in COLUMN.finditer(text):
        if cols and not HEADER_GAP.fullmatch(text, end, m.start()):
            if len(cols) >= 2 and ("t" in cols or "z" in cols):
                break
            cols = []
        col = next(k for k, v in m.groupdict().items() if v)
        if col not in cols:
            cols.append(col)
        end = m.end()
    if len(cols) < 2 or ("t" not in cols and "z" not in cols):
        return
    for m in matches:
        if m.start < end or m.concept.category != "site" or not m.concept.dxa:
            continue
        cells: list[tuple[int, int, str]] = []
        pos = m.end
        while len(cells) <= len(cols):
            gap = ROW_GAP.match(text, pos)
            c = CELL.match(text, gap.end()) if gap else None
            if c is None:
                break
            cells.append((c.start(), c.end(), c.group()))
            pos = c.end()
        if len(cells) == len(cols):
            _row(cols, m, cells, r)


def _site_in(site_at: dict[int, Match], a: int, b: int) -> Match | None:
    for pos in range(a, min(b, a + 12)):
        m = site_at.get(pos)
        if m is not None:
            return m
    return None
