"""FRAX 10-year probabilities (major osteoporotic, hip) in every common wording, as given."""

from __future__ import annotations

import re

from assistant.parse.found import Doubt, Found, Reading
from assistant.parse.numbers import RUN_GAP, YEAR, Num, fmt, gap_ok, gap_words

FRAX_RANGE = (0.0, 100.0)  # percent
FRAX_WORD = re.compile(  # (the look-ahead: the characters a match can start with)
    r"(?=[f1tp])(?:\bfrax(?![a-z])|\b(?:10|ten)[\s-]*(?:year|yr)\b|\bfracture\s+(?:risk|probability)\b|"
    r"\bprobabilit(?:y|ies)\b)"
)
MAJOR_WORDS = (
    r"(?:major\s+osteoporotic(?:\s+fractures?)?|major(?:\s+fractures?)?|maj|mof|mofp|mofr|major\s+fx|major\s+osteoporotic\s+fx)"
)
HIP_WORDS = r"(?:hip(?:\s+fractures?|\s+fx)?|hf)"
# (the look-aheads: the letter every match starts with; a search tries the pattern only there)
MAJOR = re.compile(r"(?=m)\b" + MAJOR_WORDS + r"\b")
HIP = re.compile(r"(?=h)\b" + HIP_WORDS + r"\b")
FRAX_BEFORE_GAP = frozenset(
    "fracture fractures fx risk probability probabilities score frax of is was = : at ( ) - 10 ten year yr chance "
    "estimated calculated".split()
    # "FRAX hip is actually 3.5%", "what if his hip FRAX were 2%", "the hip FRAX is now 3.2%"
    + "are were be would now actually really in fact rather instead".split()
    + "over within next the".split()  # "risk of hip fracture over (the next) 10 years 3.5 per cent"
)
FRAX_AFTER_GAP = frozenset("for of probability risk chance ( the a an 10 - year yr ten".split())
FRAX_AFTER_NEEDS = frozenset({"for", "of", "probability", "risk", "chance", "("})
FRAX_BARE_GAP = frozenset(
    "score scores of is was = : ( ) - 10 ten year yr risk probability calculated and &".split()
    + "with without w o bmd using".split()  # "FRAX w/ BMD: 11 / 1.4"
    + "roughly about approx approximately around circa ~ maybe probably estimated".split()  # hedges
    + "now currently today".split()  # "FRAX now 18/2.5"
)
# Paired labels, then paired values: "FRAX (MOF/hip) 11/1.4", "FRAX hip/major 1.4/11"
LABEL_PAIR = re.compile(
    r"(?=[mh])\b(?P<l1>" + MAJOR_WORDS + "|" + HIP_WORDS + r")\s*(?:/|,|&|and)\s*(?P<l2>"
    + MAJOR_WORDS + "|" + HIP_WORDS + r")\b\s*\)?\s*(?:[:=]|scores?|of|were|are|is|was|\s)*"
    r"(?P<v1>\d+(?:\.\d+)?)\s*%?\s*(?:/|,|and|&)\s*(?P<v2>\d+(?:\.\d+)?)"
)
# A label right after the value ("1.4% hip", "11% major", "3% (hip)"), unless it names an effect
# ("a 40% hip fracture reduction").
ADJACENT_LABEL = re.compile(
    r"\s*\(?\s*(?:(?P<major>\b" + MAJOR_WORDS + r"\b)|(?P<hip>\b" + HIP_WORDS + r"\b))"
    r"(?!\s*(?:fractures?\s+|fx\s+)?(?:risk\s+)?(?:reduction|decrease|lower|fewer|drop|benefit))"
    r"(?!\s*\)?\s*[:=]?\s*\d)"  # "FRAX maj 14 hip 1.9": that "hip" labels the next value
)
LABEL_OF_NEXT = re.compile(r"\s*\)?\s*[:=]?\s*\d")  # a label with its own value right after it
NUMBER_IN_GAP = re.compile(r"[-+]?\d+(?:\.\d+)?\s*%?")
NO_WORDS = re.compile(r"[^.;?!a-z]*")
TEN_YEAR = re.compile(r"\b(?:10|ten)[\s-]*(?:year|yr)s?\b")
FRAX_BARE_REACH = 40  # characters after "FRAX" in which a bare number is a FRAX value
ZONE_STOP = re.compile(  # (the look-ahead: the characters a match can start with)
    r"(?=[.;?!tzegcvb])(?:[.;?!](?!\d)|\b[tz][\s-]?scores?\b|\b(?:egfr|gfr|crcl|vitamin)\b"
    r"|(?<!with )(?<!w/ )(?<!w/o )(?<!without )(?<!using )\bbmd\b)"  # ("FRAX with BMD 11/1.4" goes on)
)


def read_frax(text: str, nums: list[Num], r: Reading | None = None) -> Reading:
    if r is None:
        r = Reading()
    if not any(not n.used and n.unit_end > n.start for n in nums):
        return r  # no number left to read
    zones = _frax_zones(text)
    if not zones and not any(not n.used and n.unit_end > n.start and n.percent for n in nums):
        return r  # a FRAX value is a percentage or a bare number in a FRAX zone: none here
    labelled: list[tuple[Num, str | None]] = []
    label_spans: list[tuple[int, int]] = []  # "hip" in "1.4% hip": a FRAX label, not a DXA site
    paired = _paired_labels(text)
    for n in nums:
        if n.used or n.unit_end <= n.start:
            continue
        in_zone = any(a <= n.start < b for a, b in zones)
        if not (n.percent or (in_zone and n.bare and not YEAR.match(n.raw) and n.value >= 0)):
            continue  # (a bare negative number is a score, never a probability)
        label = paired.get(n.start) or _label_before(text, n) or _label_after(text, n)
        kind = label[0] if label else None
        if kind is None and not n.percent and not _bare_after_frax(text, n, zones):
            continue
        if label is not None:
            label_spans.append(label[1:])
        labelled.append((n, kind))
    # a run "7.6% and 6.4% probability of major ..." shares the label of its last member
    for k in range(len(labelled) - 2, -1, -1):
        n, kind = labelled[k]
        nxt, nkind = labelled[k + 1]
        if kind is None and nkind is not None and RUN_GAP.fullmatch(text[n.unit_end : nxt.start]):
            if _label_after(text, nxt) is not None:
                labelled[k] = (n, nkind)
    labelled = [(n, k) for n, k in labelled if k is not None or any(a <= n.start < b for a, b in zones)]
    kinds = {k for n, k in labelled if k and not n.threshold}  # ("hip >= 3% (3.3%)": 3% labels no value)
    unlabelled = [n for n, k in labelled if k is None and not n.threshold]
    assigned: list[tuple[Num, str]] = [(n, k) for n, k in labelled if k]
    if len(unlabelled) == 2 and not kinds:
        assigned += [(unlabelled[0], "major"), (unlabelled[1], "hip")]
    elif len(unlabelled) == 1:
        free = [k for k in ("major", "hip") if k not in kinds]
        if len(free) == 1:
            assigned.append((unlabelled[0], free[0]))
        elif len(free) == 2:
            assigned.append((unlabelled[0], "major"))
            r.notes.append(("frax_unlabelled_read_as_major", "frax.major", [fmt(unlabelled[0].value)]))
    r.labels.extend(label_spans)
    for n, kind in assigned:
        n.used = True
        if n.threshold:
            continue
        lo, hi = FRAX_RANGE
        if not lo <= n.value <= hi:
            reason = f"a FRAX probability should be {lo:g} to {hi:g}%"
            r.doubts.append(Doubt(f"frax.{kind}", n.raw.strip(), reason, n.start, n.unit_end))
            continue
        r.found.append(Found(f"frax.{kind}", n.value, n.start, n.unit_end, policy="highest"))
    return r


def _kind_of(label: str) -> str:
    return "hip" if HIP.fullmatch(label) else "major"


# Strings one of which every match contains: without them the search is skipped.
FRAX_WORD_GATE = ("frax", "yr", "year", "fracture", "probabilit")
MAJOR_GATE = ("maj", "mof")
LABEL_GATE = ("maj", "mof", "hip", "hf")


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    """Is one of these words in the text? (a plain loop: cheaper than any() over a generator)"""
    for w in words:
        if w in text:
            return True
    return False


def _paired_labels(text: str) -> dict[int, tuple[str, int, int]]:
    """Value start -> (kind, label start, label end) for "MOF/hip 11/1.4"."""
    out: dict[int, tuple[str, int, int]] = {}
    if not _has_any(text, LABEL_GATE):
        return out
    for m in LABEL_PAIR.finditer(text):
        k1, k2 = _kind_of(m.group("l1")), _kind_of(m.group("l2"))
        if k1 != k2:
            out[m.start("v1")] = (k1, m.start("l1"), m.end("l1"))
            out[m.start("v2")] = (k2, m.start("l2"), m.end("l2"))
    return out


def _frax_zones(text: str) -> list[tuple[int, int]]:
    zones: list[tuple[int, int]] = []
    if _has_any(text, FRAX_WORD_GATE):
        for m in FRAX_WORD.finditer(text):
            stop = ZONE_STOP.search(text, m.end())
            zones.append((m.start(), stop.start() if stop else len(text)))
    if not _has_any(text, MAJOR_GATE):
        return zones
    for m in MAJOR.finditer(text):
        stop = ZONE_STOP.search(text, m.end())
        zones.append((m.start(), stop.start() if stop else len(text)))
    return zones


def _bare_after_frax(text: str, n: Num, zones: list[tuple[int, int]]) -> bool:
    """A bare number shortly after "FRAX" (or after another FRAX number: "FRAX 11/1.4")."""
    k = text.rfind("frax", max(0, n.start - FRAX_BARE_REACH), n.start)
    if k < 0:
        return False
    gap = NUMBER_IN_GAP.sub(" ", _strip_tenyear(text[k + 4 : n.start]))  # "FRAX 9.8/1.2": the first value
    if gap_ok(gap, FRAX_BARE_GAP | {"/", ","}, 8):
        return True
    return NO_WORDS.fullmatch(gap.replace("score", "")) is not None


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())  # (the same length: offsets into the window stay right)


def _strip_tenyear(s: str) -> str:
    if "yr" not in s and "year" not in s:
        return s  # (every match has one of these)
    return TEN_YEAR.sub(" ", s)


def _label_before(text: str, n: Num) -> tuple[str, int, int] | None:
    """(kind, start, end) of a FRAX label before the number ("hip FRAX is actually 3.5%")."""
    base = max(0, n.start - 60)
    window = text[base : n.start]
    best: tuple[str, int, int] | None = None
    if not _has_any(window, LABEL_GATE):
        return best  # no label word
    for kind, pat in (("major", MAJOR), ("hip", HIP)):
        for m in pat.finditer(window):
            near = best is None or base + m.end() > best[2]
            if near and gap_ok(_strip_tenyear(window[m.end() :]), FRAX_BEFORE_GAP, 5):
                best = (kind, base + m.start(), base + m.end())
    return best


def _label_after(text: str, n: Num) -> tuple[str, int, int] | None:
    """(kind, start, end) of a FRAX label after the number ("1.4% hip", "12% for a major fracture")."""
    base = n.unit_end
    window = text[base : base + 60]
    if not _has_any(window, LABEL_GATE):
        return None  # no label word (every pattern below needs one)
    if "yr" in window or "year" in window:  # "3.3% 10-year hip fracture risk": "10-year" is no value, blank it
        window = TEN_YEAR.sub(_blank, window)
    adjacent = ADJACENT_LABEL.match(window)  # "1.4% hip", "11% (MOF)"
    if adjacent is not None:
        kind = "major" if adjacent.group("major") else "hip"
        return kind, base + adjacent.start(kind), base + adjacent.end(kind)
    for kind, pat in (("major", MAJOR), ("hip", HIP)):
        m = pat.search(window)
        if m is None or LABEL_OF_NEXT.match(window, m.end()):
            continue  # ("FRAX 25 (hip 3.9)": that "hip" labels the next value)
        words = gap_words(_strip_tenyear(window[: m.start()]))
        if len(words) <= 5 and all(w in FRAX_AFTER_GAP for w in words) and (
            FRAX_AFTER_NEEDS.intersection(words) or "(" in window[: m.start()]
        ):
            return kind, base + m.start(), base + m.end()
    return None

