"""Glucocorticoid dose (prednisone-equivalent mg/day) and how long it has been taken."""

from __future__ import annotations

import re

from assistant.parse.found import Doubt, Found, Reading
from assistant.parse.numbers import INEQUALITY_BEFORE, Num, next_num

GC_DOSE_RANGE = (0.0, 1000.0)  # mg/day
GC_WORD = re.compile(  # (the look-ahead: the letters a match can start with)
    r"(?=[pgcsmdh])\b(?:prednisone|prednisolone|pred|glucocorticoids?|corticosteroids?|steroids?|methylprednisolone|"
    r"medrol|dexamethasone|hydrocortisone|deflazacort)\b"
)
# Every GC_WORD match contains one of these: without them the search is skipped.
GC_WORD_GATE = ("pred", "cort", "steroid", "medrol", "dexa")
PRED_EQUIVALENT = re.compile(r"prednis|pred\b|glucocorticoid|corticosteroid|steroid")
GC_GAP = frozenset("at of dose a an the daily current currently - ( ) , : = taking on is was equivalent".split())
DURATION = re.compile(
    r"\s*(?:daily|a\s+day|per\s+day|/\s*day|/d|qd|od|each\s+day|every\s+day)?\s*,?\s*(?:for|x|×|over|since|"
    r"during)\s+(?:the\s+(?:past|last)\s+|about\s+|almost\s+|nearly\s+|over\s+|more\s+than\s+|around\s+)?"
    r"(?P<n>\d+(?:\.\d+)?)\s*-?\s*(?P<u>months?|mos?|mo|m|years?|yrs?|yr|y|weeks?|wks?|wk|w)\b"
)
# between "7.5 mg" and "prednisone"
DOSE_TO_WORD = re.compile(r"\s*(?:/\s*day|daily|a\s+day|per\s+day|qd|od)?\s*(?:of\s+)?(?:oral\s+)?")
MONTHS_PER = {"y": 12.0, "m": 1.0, "w": 12.0 / 52.0}


def read_glucocorticoid_dose(text: str, nums: list[Num], r: Reading | None = None) -> Reading:
    if r is None:
        r = Reading()
    if not nums:
        return r  # a dose is read only with its number
    for g in GC_WORD_GATE:
        if g in text:
            break
    else:
        return r  # no glucocorticoid named
    for m in GC_WORD.finditer(text):
        n = next_num(text, nums, m.end(), GC_GAP, 4)
        if n is None or n.unit not in ("mg", "mg/day", "mg/d"):
            n = _prev_dose(text, nums, m.start())
        if n is None:
            d = DURATION.match(text, m.end())  # "long-term steroids for 3 years": a duration without a dose
            if d is not None and not INEQUALITY_BEFORE.search(text[m.end() : d.start("n")]):
                months = float(d.group("n")) * MONTHS_PER[d.group("u")[0]]
                r.found.append(Found("glucocorticoid_months", round(months, 1), m.start(), d.end()))
            continue
        n.used = True
        if n.threshold:
            continue
        lo, hi = GC_DOSE_RANGE
        if not lo < n.value <= hi:
            reason = f"a daily dose should be up to {hi:g} mg"
            r.doubts.append(Doubt("glucocorticoid_dose_mg", n.raw, reason, m.start(), n.unit_end))
            continue
        if PRED_EQUIVALENT.match(m.group()):
            r.found.append(Found("glucocorticoid_dose_mg", n.value, min(m.start(), n.start), max(m.end(), n.unit_end)))
        d = DURATION.match(text, n.unit_end)
        if d is not None and not INEQUALITY_BEFORE.search(text[n.unit_end : d.start("n")]):
            months = float(d.group("n")) * MONTHS_PER[d.group("u")[0]]
            r.found.append(Found("glucocorticoid_months", round(months, 1), n.start, d.end()))
    return r


def _prev_dose(text: str, nums: list[Num], pos: int) -> Num | None:
    """ "7.5 mg of prednisone", "5 mg/day prednisone" """
    best = None
    for n in nums:
        if n.unit_end <= pos and not n.used and n.unit in ("mg", "mg/day", "mg/d"):
            best = n
    if best is None:
        return None
    gap = text[best.unit_end : pos]
    if DOSE_TO_WORD.fullmatch(gap):
        return best
    return None

