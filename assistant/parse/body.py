"""Body size: BMI as stated ("BMI 17", "body mass index 31.5 kg/m2"), weight and height with their units.

FRAX takes weight and height (facts.md §3), and a BMI below 20 is a risk factor in the aromatase-inhibitor
algorithm (situations.md §2.2); the engine decides what to do with them. A BMI is computed here only from
a weight and a height both stated; a value outside the plausible range is asked back, never used.
"""

from __future__ import annotations

import re

from assistant.parse.found import Doubt, Found, Reading
from assistant.parse.numbers import Num, next_num

# Plausible ranges: a value outside is asked back, never used.
BMI_RANGE = (10.0, 80.0)  # kg/m2
WEIGHT_RANGE = (20.0, 350.0)  # kg
HEIGHT_RANGE = (100.0, 230.0)  # cm
KG_PER_LB = 0.45359237
CM_PER_INCH = 2.54

BMI_WORD = re.compile(r"\b(?:bmi|body[\s-]+mass[\s-]+index)\b")
WEIGHT_WORD = re.compile(r"\b(?:weight|wt|weighs|weighing|weighed|body\s+weight)\b")
HEIGHT_WORD = re.compile(r"\b(?:height|ht|tall|stands)\b")
GAP = frozenset("of is was = : ~ about around approximately approx now currently recently her his a an".split())
BMI_UNITS = frozenset({None, "kg"})  # "BMI 19 kg/m2": the UNIT pattern stops at "kg"
WEIGHT_KG = frozenset({"kg", "kgs"})
WEIGHT_LB = frozenset({"lb", "lbs", "pounds"})
# feet and inches: 5'4", 5 ft 4 in, 5 feet 4 inches
_WORD_GAP_STOP = re.compile(r"[,;.](?!\d)|\d")  # between a measure's word and its number: no clause end, no number
FEET_INCHES = re.compile(
    r"(?<![\w.])(?P<ft>[4-7])\s*(?:'|ft\b|feet\b|foot\b)\s*(?P<inch>\d{1,2}(?:\.\d)?)?\s*(?:\"|''|in\b|inches\b)?"
)


def read_body(text: str, nums: list[Num], r: Reading) -> None:
    """BMI, weight (kg, or lb converted) and height (cm, m, or feet and inches converted)."""
    if "bmi" in text or "mass" in text:
        for m in BMI_WORD.finditer(text):
            n = next_num(text, nums, m.end(), GAP)
            if n is None or n.unit not in BMI_UNITS or n.threshold:
                continue  # ("BMI < 20": a threshold, not the patient's)
            n.used = True
            _keep(r, "bmi", n.value, BMI_RANGE, "a BMI should be", "kg/m2", m.start(), n.unit_end, n.raw)
    for n in nums:
        if n.used or n.threshold:
            continue
        if n.unit in WEIGHT_KG or n.unit in WEIGHT_LB:
            value = n.value if n.unit in WEIGHT_KG else round(n.value * KG_PER_LB, 1)
            n.used = True
            start = _word_before(WEIGHT_WORD, text, n.start)
            _keep(r, "weight_kg", value, WEIGHT_RANGE, "a weight should be", "kg", start, n.unit_end, n.raw)
        elif n.unit in ("cm", "m") or (n.unit is None and "." in n.raw and 1.0 <= n.value < 2.5):
            start = _word_before(HEIGHT_WORD, text, n.start)
            if start == n.start and (n.unit != "cm" or n.value < 100):
                continue  # "a 2 cm nodule", "3 m": a height only after its word, or as a body's length in cm
            value = n.value * 100 if n.value < 3 else n.value
            n.used = True
            _keep(r, "height_cm", round(value, 1), HEIGHT_RANGE, "a height should be", "cm", start, n.unit_end,
                  n.raw)
    if "'" in text or "ft" in text or "feet" in text:
        for m in FEET_INCHES.finditer(text):
            if m.group("inch") is None and "'" in m.group():
                continue  # a lone 5' is too weak
            inches = int(m.group("ft")) * 12 + float(m.group("inch") or 0)
            start = _word_before(HEIGHT_WORD, text, m.start())
            _keep(r, "height_cm", round(inches * CM_PER_INCH, 1), HEIGHT_RANGE, "a height should be", "cm",
                  start, m.end(), m.group())
            r.consumed.append(m.span())
    _bmi_from_weight_and_height(r)


def _keep(r: Reading, path: str, value: float, plausible: tuple[float, float], says: str, unit: str,
          start: int, end: int, raw: str) -> None:
    lo, hi = plausible
    if lo <= value <= hi:
        r.found.append(Found(path, value, start, end))
    else:
        r.doubts.append(Doubt(path, raw.strip(), f"{says} {lo:g} to {hi:g} {unit}", start, end))


def _bmi_from_weight_and_height(r: Reading) -> None:
    """BMI = weight / height squared, when both are stated once and no BMI is."""
    if any(x.path == "bmi" for x in r.found) or any(d.path == "bmi" for d in r.doubts):
        return
    weights = [x for x in r.found if x.path == "weight_kg"]
    heights = [x for x in r.found if x.path == "height_cm"]
    if len(weights) != 1 or len(heights) != 1:
        return
    w, h = weights[0], heights[0]
    bmi = round(float(w.value) / (float(h.value) / 100) ** 2, 1)  # type: ignore[arg-type]
    if BMI_RANGE[0] <= bmi <= BMI_RANGE[1]:
        r.found.append(Found("bmi", bmi, min(w.start, h.start), max(w.end, h.end), detail="computed"))


def _word_before(word: re.Pattern[str], text: str, pos: int) -> int:
    """The start of the measure's word right before the number ("wt 48 kg"), else the number's start."""
    found = list(word.finditer(text, max(0, pos - 24), pos))
    m = found[-1] if found else None
    if m is not None and not _WORD_GAP_STOP.search(text, m.end(), pos):
        return m.start()
    return pos
