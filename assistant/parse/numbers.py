"""Numbers with their meaning: T/Z-scores by site, FRAX, kidney function, labs, doses, durations.

Every number in the message is read once with its sign, unit and neighbours. Readers then claim
numbers in a fixed order (ages are claimed before this module runs): labs, glucocorticoid dose,
raw BMD, FRAX, then scores. A number that is part of a range ("-1.0 to -2.5", "between -1.0 and
-2.5") or an inequality ("<= -2.0", ">= 10%") states a threshold, not the patient's value, and is
never read as a value.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from assistant.parse.found import Doubt, Found, Reading
from assistant.parse.lexicon import Match

# Plausible ranges: a value outside is asked back, never used.
T_SCORE_RANGE = (-7.0, 5.0)
Z_SCORE_RANGE = (-7.0, 5.0)
FRAX_RANGE = (0.0, 100.0)  # percent
EGFR_RANGE = (0.0, 200.0)  # mL/min(/1.73 m2)
VITAMIN_D_RANGE = (0.0, 200.0)  # ng/mL
CALCIUM_RANGE = (4.0, 20.0)  # mg/dL
PTH_RANGE = (0.0, 3000.0)  # pg/mL
TSH_RANGE = (0.0, 200.0)  # mIU/L
GC_DOSE_RANGE = (0.0, 1000.0)  # mg/day
NMOL_PER_NG = 2.5  # 25-OH vitamin D: nmol/L = ng/mL x 2.5
MG_DL_PER_MMOL_CALCIUM = 4.008  # calcium: mg/dL = mmol/L x 4.008

NUMBER = re.compile(
    r"(?<![\w.])(?P<sign>(?:minus|negative)\s+|[-+](?=\s?[\d.]))?\s?(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|\.\d+)"
)
UNIT = re.compile(
    r"\s?-?\s?(?P<u>%|percent\b|pct\b|mg/dl|mg/d\b|mg/day|mg|mcg|ug|micrograms?|g/cm2|g/cm\^2|g/cm|gm/cm2|g/sq|"
    r"ng/ml|ng|nmol/l|nmol|pmol/l|pg/ml|pg|mmol/l|mmol|miu/l|uiu/ml|miu|iu|units?\b|ml/min|ml|kg|kgs|lbs?\b|"
    r"pounds|cm\b|inches|sd\b|years?|yrs?|yr|y\b|y/o|yo\b|months?|mos?\b|mo\b|m\b|weeks?|wks?|wk\b|w\b|"
    r"days?|d\b|hours?|hrs?|times|x\b|oh\b|hydroxy|year|month|week|day|dose|doses|tablets?|puffs?|°)"
)
SCORE_UNITS = frozenset({"sd"})
PERCENT = frozenset({"%", "percent", "pct"})
INEQUALITY_BEFORE = re.compile(
    r"(?:[<>≤≥]=?|=[<>]|less\s+than(?:\s+or\s+equal\s+to)?|more\s+than|greater\s+than(?:\s+or\s+equal\s+to)?|"
    r"under|over|below|above|at\s+least|at\s+most|up\s+to|exceeding|lower\s+than|higher\s+than|"
    r"no\s+more\s+than|no\s+less\s+than|threshold\s+of|cut-?off\s+of|cutoff)\s*$"
)
INEQUALITY_AFTER = re.compile(r"\s*(?:%\s*)?(?:\+|or\s+(?:less|lower|below|more|higher|greater|above|worse|better)\b)")
RANGE_AFTER = re.compile(r"\s*%?\s*(?:-|to|through)\s*[-+]?\s?(?:minus\s+)?[\d.]")
RANGE_BEFORE = re.compile(r"[\d%]\s*(?:-|to|through)\s*$")
BETWEEN = re.compile(r"\b(?:between|from)\s*$")
YEAR = re.compile(r"^(?:19|20)\d\d$")


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

    @property
    def percent(self) -> bool:
        return self.unit in PERCENT

    @property
    def bare(self) -> bool:
        return self.unit is None or self.unit in SCORE_UNITS


def scan(text: str, skip: list[tuple[int, int]]) -> list[Num]:
    nums: list[Num] = []
    for m in NUMBER.finditer(text):
        s, e = m.span()
        if text[s] == " ":
            s += 1
        if any(a <= s < b for a, b in skip):
            continue
        raw = m.group("num").replace(",", "")
        try:
            value = float(raw)
        except ValueError:  # pragma: no cover - the pattern only matches numbers
            continue
        sign = m.group("sign")
        if sign and (sign.startswith("-") or sign.startswith("minus") or sign.startswith("negative")):
            value = -value
        u = UNIT.match(text, e)
        unit = u.group("u") if u else None
        unit_end = u.end() if u else e
        nums.append(Num(value, m.group(), s, e, unit, unit_end, False))
    # ranges and inequalities
    for k, n in enumerate(nums):
        before = text[max(0, n.start - 40) : n.start]
        if INEQUALITY_BEFORE.search(before) or INEQUALITY_AFTER.match(text, n.end):
            n.threshold = True
        if RANGE_AFTER.match(text, n.end) and k + 1 < len(nums) and nums[k + 1].start - n.end < 8:
            n.threshold = True
            nums[k + 1].threshold = True
        if RANGE_BEFORE.search(before):
            n.threshold = True
        if BETWEEN.search(before) and k + 1 < len(nums):
            gap = text[n.unit_end : nums[k + 1].start]
            if re.fullmatch(r"\s*(?:and|to|-)\s*", gap):
                n.threshold = True
                nums[k + 1].threshold = True
    return nums


# --- gaps -------------------------------------------------------------------------------------
_GAP_TOKEN = re.compile(r"\w+|[^\w\s]")
_PAREN = re.compile(r"\([^()]{0,40}\)")


def gap_words(text: str) -> list[str]:
    return _GAP_TOKEN.findall(_PAREN.sub(" ", text))


def gap_ok(text: str, allowed: frozenset[str], limit: int = 6) -> bool:
    words = gap_words(text)
    return len(words) <= limit and all(w in allowed for w in words)


# --- labs ---------------------------------------------------------------------------------------
LAB_GAP = frozenset(
    "of is was were at = : ~ around about approximately approx level levels value result results measured now "
    "today currently recently the her his a an be been has had dropped fell down to reading estimated serum "
    "total - , ( ) which and calculated".split()
)


@dataclass(frozen=True, slots=True)
class Lab:
    path: str
    keyword: re.Pattern[str]
    plausible: tuple[float, float]
    label: str


LABS: tuple[Lab, ...] = (
    Lab(
        "egfr",
        re.compile(
            r"\b(?:e?gfr|crcl|cr\s*cl|creatinine\s+clearance|(?:estimated\s+)?glomerular\s+filtration\s+rate|"
            r"clcr|kidney\s+function|renal\s+function)\b"
        ),
        EGFR_RANGE,
        "eGFR",
    ),
    Lab(
        "vitamin_d",
        re.compile(
            r"(?<![\w.])(?:25\s*-?\s*(?:\(oh\)|oh|hydroxy)\s*-?\s*(?:vitamin\s*|vit\.?\s*)?d[23]?|25\s*\(oh\)\s*d|"
            r"25ohd|(?:vitamin|vit\.?)\s*d[23]?|calcidiol)\b"
        ),
        VITAMIN_D_RANGE,
        "25-OH vitamin D",
    ),
    Lab("calcium", re.compile(r"\b(?:(?:albumin-?\s*)?corrected\s+)?(?:calcium|ca)\b"), CALCIUM_RANGE, "calcium"),
    Lab("pth", re.compile(r"\b(?:intact\s+)?(?:pth|parathyroid\s+hormone)\b"), PTH_RANGE, "PTH"),
    Lab("tsh", re.compile(r"\btsh\b"), TSH_RANGE, "TSH"),
)
CRCL = re.compile(r"crcl|cr\s*cl|creatinine\s+clearance|clcr")
LAB_UNITS_OK = {
    "egfr": frozenset({None, "ml/min", "ml"}),
    "vitamin_d": frozenset({None, "ng/ml", "ng", "nmol/l", "nmol"}),
    "calcium": frozenset({None, "mg/dl", "mmol/l", "mmol"}),
    "pth": frozenset({None, "pg/ml", "pg", "pmol/l"}),
    "tsh": frozenset({None, "miu/l", "uiu/ml", "miu"}),
}


def read_labs(text: str, nums: list[Num]) -> Reading:
    r = Reading()
    for lab in LABS:
        for m in lab.keyword.finditer(text):
            n = _next_num(text, nums, m.end(), LAB_GAP)
            if n is None or n.unit not in LAB_UNITS_OK[lab.path]:
                continue
            n.used = True
            if n.threshold:
                continue
            value = n.value
            if lab.path == "vitamin_d" and n.unit in ("nmol/l", "nmol"):
                value = round(value / NMOL_PER_NG, 1)
            if lab.path == "calcium":
                if n.unit in ("mmol/l", "mmol") or (n.unit is None and 1.0 <= value < 4.0):
                    value = round(value * MG_DL_PER_MMOL_CALCIUM, 1)
                elif n.unit is None and not CALCIUM_RANGE[0] <= value <= CALCIUM_RANGE[1]:
                    continue  # a bare number after "calcium" outside serum values is a dose, not a level
            lo, hi = lab.plausible
            if not lo <= value <= hi or (value == 0 and lab.path in ("egfr", "vitamin_d")):
                r.doubts.append(
                    Doubt(lab.path, n.raw.strip(), f"{lab.label} should be {lo:g} to {hi:g}", m.start(), n.unit_end)
                )
                continue
            r.found.append(Found(lab.path, value, m.start(), n.unit_end))
            if lab.path == "egfr" and CRCL.search(m.group()):
                r.found.append(Found("egfr_is_crcl", True, m.start(), n.unit_end))
    return r


def _next_num(text: str, nums: list[Num], pos: int, allowed: frozenset[str], limit: int = 6) -> Num | None:
    k = bisect_left([n.start for n in nums], pos) if len(nums) < 64 else _bisect_nums(nums, pos)
    if k >= len(nums):
        return None
    n = nums[k]
    if n.used or n.start - pos > 80:
        return None
    return n if gap_ok(text[pos : n.start], allowed, limit) else None


def _bisect_nums(nums: list[Num], pos: int) -> int:
    lo, hi = 0, len(nums)
    while lo < hi:
        mid = (lo + hi) // 2
        if nums[mid].start < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


# --- glucocorticoid dose and duration -----------------------------------------------------------
GC_WORD = re.compile(
    r"\b(?:prednisone|prednisolone|pred|glucocorticoids?|corticosteroids?|steroids?|methylprednisolone|"
    r"medrol|dexamethasone|hydrocortisone|deflazacort)\b"
)
PRED_EQUIVALENT = re.compile(r"prednis|pred\b|glucocorticoid|corticosteroid|steroid")
GC_GAP = frozenset("at of dose a an the daily current currently - ( ) , : = taking on is was equivalent".split())
DURATION = re.compile(
    r"\s*(?:daily|a\s+day|per\s+day|/\s*day|/d|qd|od|each\s+day|every\s+day)?\s*,?\s*(?:for|x|×|over|since|"
    r"during)\s+(?:the\s+(?:past|last)\s+|about\s+|almost\s+|nearly\s+|over\s+|more\s+than\s+|around\s+)?"
    r"(?P<n>\d+(?:\.\d+)?)\s*-?\s*(?P<u>months?|mos?|mo|m|years?|yrs?|yr|y|weeks?|wks?|wk|w)\b"
)
MONTHS_PER = {"y": 12.0, "m": 1.0, "w": 12.0 / 52.0}


def read_glucocorticoid_dose(text: str, nums: list[Num]) -> Reading:
    r = Reading()
    for m in GC_WORD.finditer(text):
        n = _next_num(text, nums, m.end(), GC_GAP, 4)
        if n is None or n.unit not in ("mg", "mg/day", "mg/d"):
            n = _prev_dose(text, nums, m.start())
        if n is None:
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
    if re.fullmatch(r"\s*(?:/\s*day|daily|a\s+day|per\s+day|qd|od)?\s*(?:of\s+)?(?:oral\s+)?", gap):
        return best
    return None


# --- raw BMD -------------------------------------------------------------------------------------
def read_bmd(text: str, nums: list[Num]) -> Reading:
    r = Reading()
    for n in nums:
        if not n.used and n.unit in ("g/cm2", "g/cm^2", "g/cm", "gm/cm2", "g/sq"):
            n.used = True
            r.extra_mentions.append(("bmd_raw", "measurement", n.start, n.unit_end, f"{n.value:g} g/cm2"))
    return r


# --- FRAX ----------------------------------------------------------------------------------------
FRAX_WORD = re.compile(
    r"\bfrax\b|\b(?:10|ten)[\s-]*(?:year|yr)\b|\bfracture\s+(?:risk|probability)\b|\bprobabilit(?:y|ies)\b"
)
MAJOR = re.compile(
    r"\b(?:major\s+osteoporotic(?:\s+fractures?)?|major(?:\s+fractures?)?|mof|mofp|major\s+fx|major\s+osteoporotic\s+fx)\b"
)
HIP = re.compile(r"\b(?:hip(?:\s+fractures?|\s+fx)?|hf)\b")
FRAX_BEFORE_GAP = frozenset(
    "fracture fractures fx risk probability probabilities score frax of is was = : at ( ) - 10 ten year yr chance "
    "estimated calculated".split()
)
FRAX_AFTER_GAP = frozenset("for of probability risk chance ( the a an 10 - year yr ten".split())
FRAX_AFTER_NEEDS = frozenset({"for", "of", "probability", "risk", "chance", "("})
RUN_GAP = re.compile(r"\s*(?:,|/|and|&|or|,\s*and)\s*(?:an?\s+)?")
FRAX_BARE_GAP = frozenset("score scores of is was = : ( ) - 10 ten year yr risk probability calculated".split())
FRAX_BARE_REACH = 40  # characters after "FRAX" in which a bare number is a FRAX value
ZONE_STOP = re.compile(r"[.;?!](?!\d)|\b[tz][\s-]?scores?\b|\b(?:egfr|gfr|crcl|vitamin|bmd)\b")


def read_frax(text: str, nums: list[Num]) -> Reading:
    r = Reading()
    zones = _frax_zones(text)
    labelled: list[tuple[Num, str | None]] = []
    for n in nums:
        if n.used or n.unit_end <= n.start:
            continue
        in_zone = any(a <= n.start < b for a, b in zones)
        if not (n.percent or (in_zone and n.bare and not YEAR.match(n.raw))):
            continue
        kind = _label_before(text, n) or _label_after(text, n)
        if kind is None and not n.percent and not _bare_after_frax(text, n, zones):
            continue
        labelled.append((n, kind))
    # a run "7.6% and 6.4% probability of major ..." shares the label of its last member
    for k in range(len(labelled) - 2, -1, -1):
        n, kind = labelled[k]
        nxt, nkind = labelled[k + 1]
        if kind is None and nkind is not None and RUN_GAP.fullmatch(text[n.unit_end : nxt.start]):
            if _label_after(text, nxt) is not None:
                labelled[k] = (n, nkind)
    labelled = [(n, k) for n, k in labelled if k is not None or any(a <= n.start < b for a, b in zones)]
    kinds = {k for _, k in labelled if k}
    unlabelled = [n for n, k in labelled if k is None]
    assigned: list[tuple[Num, str]] = [(n, k) for n, k in labelled if k]
    if len(unlabelled) == 2 and not kinds:
        assigned += [(unlabelled[0], "major"), (unlabelled[1], "hip")]
    elif len(unlabelled) == 1:
        free = [k for k in ("major", "hip") if k not in kinds]
        if len(free) == 1:
            assigned.append((unlabelled[0], free[0]))
        elif len(free) == 2:
            assigned.append((unlabelled[0], "major"))
            r.notes.append(("frax_unlabelled_read_as_major", "frax.major", [_fmt(unlabelled[0].value)]))
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


def _frax_zones(text: str) -> list[tuple[int, int]]:
    zones = []
    for m in FRAX_WORD.finditer(text):
        stop = ZONE_STOP.search(text, m.end())
        zones.append((m.start(), stop.start() if stop else len(text)))
    for m in MAJOR.finditer(text):
        stop = ZONE_STOP.search(text, m.end())
        zones.append((m.start(), stop.start() if stop else len(text)))
    return zones


def _bare_after_frax(text: str, n: Num, zones: list[tuple[int, int]]) -> bool:
    """A bare number shortly after "FRAX" (or after another FRAX number: "FRAX 11/1.4")."""
    k = text.rfind("frax", max(0, n.start - FRAX_BARE_REACH), n.start)
    if k < 0:
        return False
    gap = _strip_tenyear(text[k + 4 : n.start])
    if gap_ok(gap, FRAX_BARE_GAP | {"/", ","}, 8):
        return True
    return re.fullmatch(r"[^.;?!a-z]*", gap.replace("score", "")) is not None


def _strip_tenyear(s: str) -> str:
    return re.sub(r"\b(?:10|ten)[\s-]*(?:year|yr)s?\b", " ", s)


def _label_before(text: str, n: Num) -> str | None:
    window = text[max(0, n.start - 60) : n.start]
    best: tuple[int, str] | None = None
    for kind, pat in (("major", MAJOR), ("hip", HIP)):
        for m in pat.finditer(window):
            if gap_ok(_strip_tenyear(window[m.end() :]), FRAX_BEFORE_GAP, 5) and (best is None or m.end() > best[0]):
                best = (m.end(), kind)
    return best[1] if best else None


def _label_after(text: str, n: Num) -> str | None:
    window = text[n.unit_end : n.unit_end + 60]
    for kind, pat in (("major", MAJOR), ("hip", HIP)):
        m = pat.search(window)
        if m is None:
            continue
        words = gap_words(_strip_tenyear(window[: m.start()]))
        if len(words) <= 5 and all(w in FRAX_AFTER_GAP for w in words) and (
            FRAX_AFTER_NEEDS.intersection(words) or "(" in window[: m.start()]
        ):
            return kind
    return None


def _fmt(v: float) -> str:
    return f"{v:g}"


# --- T- and Z-scores --------------------------------------------------------------------------------
ANCHOR = re.compile(
    r"\b(?P<k>[tz])[\s-]?scores?\b|\b(?P<k2>[tz])score\b|\b(?P<k3>[tz])\s*[:=]|\b(?P<k4>[tz])\s+(?=[-+]?\d|minus)"
)
ANCHOR_REACH = 160  # characters after "T-score" within which its numbers are read
ANCHOR_STOP = re.compile(r"[.;?!](?!\d)|\bfrax\b|\b(?:egfr|gfr|crcl|vitamin|calcium|pth|tsh)\b")
BEFORE_SITE_GAP = frozenset(
    "t z score scores tscore tscores zscore zscores of was is are were = : ( ) bmd dxa dexa - , sd".split()
)
AFTER_SITE_GAP = frozenset("at in on of for over the her his ( : - both".split())
AFTER_SITE_NEEDS = frozenset({"at", "in", "on", "of", "for", "over", "("})
SIDES = {"left": "left", "right": "right", "l": "left", "r": "right", "lt": "left", "rt": "right", "bilateral": "both"}


@dataclass(slots=True)
class SiteAtom:
    site: str
    start: int
    end: int
    count: int  # "right and left femoral neck" counts 2
    side: str | None


def site_atoms(text: str, matches: list[Match]) -> list[SiteAtom]:
    atoms = []
    for m in matches:
        if m.concept.category != "site" or not m.concept.dxa:
            continue
        before = text[max(0, m.start - 24) : m.start]
        sides = re.search(r"\b(left|right|lt|rt|l|r|bilateral)\s+(?:and\s+(left|right)\s+)?$", before)
        side, count, start = None, 1, m.start
        if sides:
            side = SIDES[sides.group(1)]
            start = m.start - (len(before) - sides.start())
            if sides.group(2):
                count, side = 2, "both"
        inside = re.search(r"\b(left|right)\b", text[m.start : m.end])
        if inside and side is None:
            side = inside.group(1)
        atoms.append(SiteAtom(m.concept.dxa, start, m.end, count, side))
    return atoms


def read_scores(text: str, nums: list[Num], matches: list[Match]) -> Reading:
    r = Reading()
    sites = site_atoms(text, matches)
    anchors = [
        (m.start(), m.end(), m.group("k") or m.group("k2") or m.group("k3") or m.group("k4"))
        for m in ANCHOR.finditer(text)
    ]
    cands = [n for n in nums if not n.used and n.bare and not YEAR.match(n.raw) and abs(n.value) < 100]
    # runs of numbers joined by "and" / "," / "/"
    runs: list[list[Num]] = []
    for n in cands:
        prev_end = runs[-1][-1].unit_end if runs else 0
        if runs and RUN_GAP.fullmatch(text[prev_end : n.start]) and not _site_between(sites, prev_end, n.start):
            runs[-1].append(n)
        else:
            runs.append([n])
    site_runs = _site_runs(text, sites)
    for run in runs:
        kind = _kind(text, anchors, run[0])
        first, last = run[0], run[-1]
        after = _site_run_after(text, site_runs, last.unit_end)
        before = _site_run_before(text, site_runs, first.start)
        pairs: list[tuple[Num, SiteAtom | None]] = []
        if len(run) > 1 and after and sum(a.count for a in after) == len(run):
            pairs = list(zip(run, _expand(after), strict=False))
        elif len(run) > 1 and before and sum(a.count for a in before) == len(run):
            pairs = list(zip(run, _expand(before), strict=False))
        else:
            for k, n in enumerate(run):
                site = None
                a = _site_run_after(text, site_runs, n.unit_end)
                if a and len(a) == 1 and (k == len(run) - 1 or len(run) == 1 or True):
                    site = a[0]
                if site is None and k == 0 and before and len(before) == 1:
                    site = before[0]
                if site is None and len(run) == 1:
                    site = _site_right_after(text, sites, n.unit_end)  # terse "T -1.8 femoral neck"
                if site is None and len(run) > 1 and k > 0 and pairs and pairs[0][1] is not None and after is None:
                    site = pairs[0][1]  # "-2.6 and -2.9 at the femoral neck" handled below; here a list after one site
                pairs.append((n, site))
            if after and len(after) == 1 and len(run) > 1:
                pairs = [(n, after[0]) for n in run]  # several values at one site
        for n, site in pairs:
            if kind is None and site is None:
                continue  # a number with no score context
            if kind is None and not (n.raw.lstrip().startswith(("-", "+", "minus", "negative")) or "." in n.raw):
                continue  # terse "FN 2": too weak without a sign or decimal
            n.used = True
            if n.threshold:
                continue
            k = kind or "t"
            if site:
                field = "t_scores" if k == "t" else "z_scores"
            else:
                field = "t_score_unsited" if k == "t" else "z_score_unsited"
            path = f"{field}.{site.site}" if site else field
            lo, hi = T_SCORE_RANGE if k == "t" else Z_SCORE_RANGE
            if not lo <= n.value <= hi:
                reason = f"a {k.upper()}-score should be {lo:g} to {hi:g}"
                r.doubts.append(Doubt(path, _fmt(n.value), reason, n.start, n.unit_end))
                continue
            s, e = (min(n.start, site.start), max(n.unit_end, site.end)) if site else (n.start, n.unit_end)
            if site and max(n.unit_end, site.end) - min(n.start, site.start) > 80:
                s, e = n.start, n.unit_end
            unsigned = n.value > 0 and not n.raw.lstrip().startswith("+")
            r.found.append(Found(path, n.value, s, e, policy="lowest", detail=site.side if site else None,
                                 unsigned=unsigned))
    return r


def _expand(atoms: list[SiteAtom]) -> list[SiteAtom]:
    out = []
    for a in atoms:
        out.extend([a] * a.count)
    return out


def _site_between(sites: list[SiteAtom], a: int, b: int) -> bool:
    return any(a <= s.start < b for s in sites)


def _site_runs(text: str, sites: list[SiteAtom]) -> list[list[SiteAtom]]:
    runs: list[list[SiteAtom]] = []
    for s in sites:
        if runs and RUN_GAP.fullmatch(text[runs[-1][-1].end : s.start]):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def _site_run_after(text: str, runs: list[list[SiteAtom]], pos: int) -> list[SiteAtom] | None:
    for run in runs:
        if run[0].start >= pos:
            words = gap_words(text[pos : run[0].start])
            if words and len(words) <= 4 and all(w in AFTER_SITE_GAP for w in words) \
                    and AFTER_SITE_NEEDS.intersection(words):
                return run
            return None
    return None


def _site_right_after(text: str, sites: list[SiteAtom], pos: int) -> SiteAtom | None:
    for s in sites:
        if s.start >= pos:
            fracture = re.match(r"\s*(?:fx|fract|broke)", text[s.end : s.end + 12])
            return s if s.start - pos <= 3 and not text[pos : s.start].strip() and not fracture else None
    return None


def _site_run_before(text: str, runs: list[list[SiteAtom]], pos: int) -> list[SiteAtom] | None:
    best = None
    for run in runs:
        if run[-1].end <= pos:
            best = run
    if best is None:
        return None
    gap = text[best[-1].end : pos]
    words = gap_words(gap)
    if len(words) <= 6 and all(w in BEFORE_SITE_GAP for w in words):
        return best
    return None


def _kind(text: str, anchors: list[tuple[int, int, str]], n: Num) -> str | None:
    """ "t" or "z" from the nearest anchor before the number in the same stretch, or just after it."""
    for s, _e, k in anchors:
        if s >= n.unit_end and re.fullmatch(r"\s*", text[n.unit_end : s]):
            return k
    best = None
    for _s, e, k in anchors:
        if n.start - ANCHOR_REACH <= e <= n.start:
            best = (e, k)
    if best is not None and not ANCHOR_STOP.search(text, best[0], n.start):
        return best[1]
    return None
