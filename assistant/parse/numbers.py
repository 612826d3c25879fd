"""Every number in a message, read once with its sign, unit and neighbours.

The readers that give numbers their meaning live beside this module, one idea each: labs.py
(eGFR/CrCl, 25-OH vitamin D, calcium, PTH, TSH), doses.py (glucocorticoid dose and duration),
frax.py (FRAX probabilities) and scores.py (T- and Z-scores by site, raw BMD). They claim numbers
in a fixed order (ages are claimed before any of them runs): labs, glucocorticoid dose, raw BMD,
FRAX, then scores. A number that is part of a range ("-1.0 to -2.5", "between -1.0 and -2.5") or
an inequality ("<= -2.0", ">= 10%") states a threshold, not the patient's value, and is never
read as a value.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter

NUMBER = re.compile(
    r"(?:(?<![\w.])|(?<=frax))(?P<sign>(?:minus|negative|neg\.?)\s+|[-+](?=\s?[\d.]))?\s?(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|\.\d+)"
)
UNIT = re.compile(
    r"\s?-?\s?(?P<u>%|percent\b|per\s?cent\b|pct\b|mg/dl|mg/d\b|mg/day|mg|mcg|ug|micrograms?|g/cm2|g/cm\^2|g/cm|gm/cm2|g/sq|"
    r"ng/ml|ng|nmol/l|nmol|pmol/l|pg/ml|pg|mmol/l|mmol|miu/l|uiu/ml|miu|iu|units?\b|ml/min|ml|kg|kgs|lbs?\b|"
    r"pounds|cm\b|inches|sd\b|years?|yrs?|yr|y\b|y/o|yo\b|months?|mos?\b|mo\b|m\b|weeks?|wks?|wk\b|w\b|"
    r"days?|d\b|hours?|hrs?|times|x\b|oh\b|hydroxy|year|month|week|day|dose|doses|tablets?|puffs?|°)"
)
SCORE_UNITS = frozenset({"sd"})
NAME_UNITS = frozenset({"oh", "hydroxy"})
PERCENT = frozenset({"%", "percent", "per cent", "pct"})
INEQUALITY_BEFORE = re.compile(
    r"(?:[<>≤≥]=?|=[<>]|less\s+than(?:\s+or\s+equal\s+to)?|more\s+than|greater\s+than(?:\s+or\s+equal\s+to)?|"
    r"under|over|below|above|at\s+least|at\s+most|up\s+to|exceeding|lower\s+than|higher\s+than|"
    r"no\s+more\s+than|no\s+less\s+than|threshold\s+of|cut-?off\s+of|cutoff)\s*$"
)
INEQUALITY_AFTER = re.compile(r"\s*(?:%\s*)?(?:\+|or\s+(?:less|lower|below|more|higher|greater|above|worse|better)\b)")
RANGE_AFTER = re.compile(r"\s*%?\s*(?:-|to|through)\s*[-+]?\s?(?:minus\s+)?[\d.]")
RANGE_BEFORE = re.compile(r"[\d%]\s*(?:-|to|through)\s*$")
BETWEEN = re.compile(r"\b(?:between|from)\s*$")
# "improved from -3.0 to -2.2", "went from -2.1 to -2.6": a change, not a range (the first value earlier)
CHANGE_FROM = re.compile(
    r"\b(?:improv\w*|worsen\w*|declin\w*|dropp\w*|drop|fell|fall\w*|went|go\w*|chang\w*|increas\w*|decreas\w*|"
    r"rose|rise\w*|moved|progress\w*|deteriorat\w*)\s+(?:\w+\s+){0,2}?from\s*$"
)
# A value said to be an earlier one ("previously -3.0", "-2.1 two years ago", "down from -2.1"):
# history, never the current fact.
EARLIER_BEFORE = re.compile(
    r"(?:\b(?:previously|prior|earlier|formerly|baseline|originally|initially|(?:down|up|worse|better|improved|"
    r"declined|dropped|worsened|decreased|increased)\s+from|(?<!ranged\s)(?<!ranging\s)(?<!range\s)from)|"
    r"(?<![\w-])(?:previous|prior|earlier|baseline|last(?!\s+(?:week|month|year|spring|summer|autumn|fall|winter)\b)|first)"
    r"\s+(?:[\w-]+\s+){0,3}?(?:t-?scores?|z-?scores?|scores?|values?|"
    r"bmd|dxa|dexa|scan|reading)\s*(?:was|of|showed|:|=)?|"
    r"\b(?:last|previous|prior|old|earlier|first|baseline)\s+(?:scan|dxa|dexa|study|bmd|measurement|reading)\s*"
    r"(?:was|showed|of|:|=)?|\b(?:in|on)\s+(?:19|20)\d\d\s*(?:it\s+)?(?:was|:|,)?)\s*(?:at\s+|of\s+|was\s+|:\s*)?$"
)
EARLIER_AFTER = re.compile(
    r"\s*(?:\(\s*)?(?:(?:\d+|one|two|three|four|five|six|a|several|few)\s+(?:years?|yrs?|months?|mos?)\s+(?:ago|before|earlier|prior)|"
    r"(?:in|on|back\s+in)\s+(?:19|20)\d\d|(?<=\()\s*(?:19|20)\d\d\s*\)|previously|(?:before|earlier|prior|in\s+the\s+past)(?=\s*(?:[,.;)]|$))|"
    r"(?:at|on|in)\s+(?:the\s+|her\s+|his\s+)?(?:last|previous|prior|earlier|first|baseline)\s+(?:scan|dxa|dexa|study|visit))\b"
)
# How the text before a number must end (trailing spaces aside) for the pattern above to match there: the
# last characters of each of its alternatives. A search is skipped when the text does not end so.
# (Keep these in step with the patterns.)
INEQUALITY_ENDS = ("<", ">", "\u2264", "\u2265", "=", "than", "to", "under", "over", "below", "above", "least", "most",
                   "exceeding", "of", "cutoff")
RANGE_ENDS = ("-", "to", "through")
BETWEEN_ENDS = ("between", "from")
BETWEEN_GAP = re.compile(r"\s*(?:and|to|-)\s*")
YEAR = re.compile(r"^(?:19|20)\d\d$")
ARROW_GAP = re.compile(r"\s*(?:\u2192|->|-->|=>|\u21d2|\u2794|\u279c)\s*")  # "-2.1 \u2192 -2.4", "-2.0 -> -2.3"
SD_BELOW = re.compile(r"\s*(?:below|under|beneath)\b")
LABEL_MINUS = re.compile(r"\b(?:fn|th|ls|neck|hip|spine|t|z)-$")  # a score's label written onto its minus
# numbers (or sites) in a list: "-1.1 and -1.7", "11/1.4", "spine, hip and femoral neck"
RUN_GAP = re.compile(r"\s*(?:,|/|and|&|or|,\s*and)\s*(?:an?\s+)?")


# "1. 71 yo woman 2. osteopenia 3. FRAX 20.5% major, 2.6% hip 4. eGFR 55": a numbered list's marks
LIST_MARK = re.compile(r"(?:^|(?<=\s))(?P<k>\d{1,2})[.)](?=\s+\S)")


def list_markers(text: str) -> list[tuple[int, int]]:
    """The marks of a numbered list (1., 2., 3. ... in order, at least two): not values."""
    if "1" not in text or ("1." not in text and "1)" not in text):
        return []  # every list starts with 1
    out: list[tuple[int, int]] = []
    want = 1
    for m in LIST_MARK.finditer(text):
        if int(m.group("k")) == want:
            out.append(m.span())
            want += 1
    return out if len(out) >= 2 else []


@dataclass(slots=True)
class Num:
    value: float
    raw: str
    start: int
    end: int  # end of the number (unit not included)
    unit: str | None
    unit_end: int
    threshold: bool  # part of a range or an inequality
    used: bool = False
    earlier: bool = False  # said to be an earlier value ("previously -3.0"): history, not the current fact
    changed: bool = False  # the "from" end of a change ("from -3.0 to -2.2")

    @property
    def percent(self) -> bool:
        return self.unit in PERCENT

    @property
    def bare(self) -> bool:
        return self.unit is None or self.unit in SCORE_UNITS


_DIGIT = re.compile(r"\d")


def _number_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of NUMBER.finditer(text), found without trying NUMBER at every character: each search
    starts a little before the next digit. Between a match's start and its number there is no digit, only
    a sign ("-", "+", "minus", "negative": at most 8 letters), spaces and a ".", so no match can start
    before the spaces that precede that digit (or its ".") minus 8 characters. (The look-behind at the
    start of NUMBER sees the text before the search position, so a match there is the same.)"""
    pos, n = 0, len(text)
    while pos < n:
        digit = _DIGIT.search(text, pos)
        if digit is None:
            return
        k = digit.start()
        if k > 0 and text[k - 1] == ".":
            k -= 1  # ".5"
        while k > 0 and text[k - 1].isspace():  # (the same characters as \s)
            k -= 1
        m = NUMBER.search(text, max(pos, k - 8))
        if m is None:
            return
        yield m
        pos = m.end()


def scan(text: str, skip: list[tuple[int, int]]) -> list[Num]:
    nums: list[Num] = []
    if not _DIGIT.search(text):
        return nums  # every number has a digit (the same \d as NUMBER)
    for m in _number_matches(text):
        s, e = m.span()
        if text[s] == " ":
            s += 1
        if skip and any(a <= s < b for a, b in skip):
            continue
        raw = m.group("num").replace(",", "")
        try:
            value = float(raw)
        except ValueError:  # pragma: no cover - the pattern only matches numbers
            continue
        sign = m.group("sign")
        shown = m.group()
        if sign and (sign.startswith("-") or sign.startswith("minus") or sign.startswith("neg")):
            value = -value
        elif sign is None and s > 1 and text[s - 1] == "-" and "." in raw \
                and LABEL_MINUS.search(text, max(0, s - 8), s) is not None:
            value, s, shown = -value, s - 1, "-" + m.group()  # "FN-2.2", "TH-1.8": a label, then its minus
        u = UNIT.match(text, e)
        unit = u.group("u") if u else None
        unit_end = u.end() if u else e
        if unit is None and e < len(text) and text[e].isalpha():
            continue  # part of a word or code ("25OHD", "3rd"), not a value
        if unit in NAME_UNITS:
            continue  # "25-OH vitamin D": part of a name
        if unit == "sd" and not sign and value > 0 and SD_BELOW.match(text, unit_end):
            value, shown = -value, "-" + shown.lstrip()  # "2.6 SD below the young adult mean"
        nums.append(Num(value, shown, s, e, unit, unit_end, False))
    # ranges and inequalities; changes ("from -3.0 to -2.2") and earlier values
    for k, n in enumerate(nums):
        before = text[max(0, n.start - 40) : n.start]
        tail = before.rstrip()  # (the patterns before a number end in spaces: `\s*$`)
        if k > 0 and nums[k - 1].earlier and nums[k - 1].changed:
            continue  # the "to" end of a change is the current value
        if (tail.endswith(INEQUALITY_ENDS) and INEQUALITY_BEFORE.search(before)) or INEQUALITY_AFTER.match(text, n.end):
            n.threshold = True
        change = tail.endswith("from") and CHANGE_FROM.search(before) is not None
        if change and k + 1 < len(nums) and BETWEEN_GAP.fullmatch(text[n.unit_end : nums[k + 1].start]):
            n.earlier = n.changed = True  # "improved from -3.0 to -2.2": the second is the current value
            continue
        if k + 1 < len(nums) and ARROW_GAP.fullmatch(text, n.unit_end, nums[k + 1].start):
            n.earlier = n.changed = True  # "LS -2.1 -> -2.4": a change written with an arrow, the second is now
            continue
        if RANGE_AFTER.match(text, n.end) and k + 1 < len(nums) and nums[k + 1].start - n.end < 8:
            n.threshold = True
            nums[k + 1].threshold = True
        if tail.endswith(RANGE_ENDS) and RANGE_BEFORE.search(before):
            n.threshold = True
        if k + 1 < len(nums) and tail.endswith(BETWEEN_ENDS) and BETWEEN.search(before):
            gap = text[n.unit_end : nums[k + 1].start]
            if BETWEEN_GAP.fullmatch(gap):
                n.threshold = True
                nums[k + 1].threshold = True
        if not n.threshold:
            n.earlier = EARLIER_BEFORE.search(before) is not None or EARLIER_AFTER.match(text, n.unit_end) is not None
    return nums


# --- gaps -------------------------------------------------------------------------------------
_GAP_TOKEN = re.compile(r"\w+|[^\w\s]")
_PAREN = re.compile(r"\([^()]{0,40}\)")


def gap_words(text: str) -> list[str]:
    if "(" in text:
        text = _PAREN.sub(" ", text)
    return _GAP_TOKEN.findall(text)


def gap_ok(text: str, allowed: frozenset[str], limit: int = 6) -> bool:
    words = gap_words(text)
    return len(words) <= limit and all(w in allowed for w in words)



_START = attrgetter("start")


def next_num(text: str, nums: list[Num], pos: int, allowed: frozenset[str], limit: int = 6) -> Num | None:
    k = bisect_left(nums, pos, key=_START)
    if k >= len(nums):
        return None
    n = nums[k]
    if n.used or n.start - pos > 80:
        return None
    return n if gap_ok(text[pos : n.start], allowed, limit) else None


def fmt(v: float) -> str:
    return f"{v:g}"
