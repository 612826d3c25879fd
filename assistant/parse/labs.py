"""Lab values after their name: eGFR / CrCl, 25-OH vitamin D (nmol/L converted), calcium, PTH, TSH."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.parse.found import Doubt, Found, Reading
from assistant.parse.numbers import Num, next_num

# Plausible ranges: a value outside is asked back, never used.
EGFR_RANGE = (0.0, 200.0)  # mL/min(/1.73 m2)
VITAMIN_D_RANGE = (0.0, 200.0)  # ng/mL
CALCIUM_RANGE = (4.0, 20.0)  # mg/dL
PTH_RANGE = (0.0, 3000.0)  # pg/mL
TSH_RANGE = (0.0, 200.0)  # mIU/L
ALP_RANGE = (5.0, 5000.0)  # U/L
NMOL_PER_NG = 2.5  # 25-OH vitamin D: nmol/L = ng/mL x 2.5
MG_DL_PER_MMOL_CALCIUM = 4.008  # calcium: mg/dL = mmol/L x 4.008

LAB_GAP = frozenset(
    "of is was were at = : ~ around about approximately approx level levels value result results measured now "
    "today currently recently the her his a an be been has had dropped fell down to reading estimated serum "
    "total - , ( ) which and calculated".split()
    + "25 oh ohd 25oh 25ohd hydroxy".split()  # "Vit D 25-OH 12 ng/mL", "vit D 25OH: 48 nmol/L"
    + "insufficiency insufficient deficiency deficient low".split()
    + "est estimate".split()  # "GFR est 38"  # "vitamin D insufficiency (22 ng/mL)"
)


@dataclass(frozen=True, slots=True)
class Lab:
    path: str
    keyword: re.Pattern[str]
    plausible: tuple[float, float]
    label: str
    gate: tuple[str, ...]  # every keyword match contains one of these: without them the search is skipped


LABS: tuple[Lab, ...] = (
    Lab(
        "egfr",
        re.compile(
            r"\b(?:e?gfr|crcl|cr\s*cl|creat(?:inine)?\.?\s+clearance|(?:estimated\s+)?glomerular\s+filtration\s+rate|"
            r"clcr|kidney\s+function|renal\s+function)\b"
        ),
        EGFR_RANGE,
        "eGFR",
        ("gfr", "cr", "filtration", "function"),
    ),
    Lab(
        "vitamin_d",
        re.compile(
            r"(?<![\w.])(?:25\s*-?\s*(?:\(oh\)|oh|hydroxy)\s*-?\s*(?:vitamin\s*|vit\.?\s*)?d[23]?|25\s*\(oh\)\s*d|"
            r"25ohd|(?:vitamin|vit\.?)\s*d[23]?|calcidiol)\b"
        ),
        VITAMIN_D_RANGE,
        "25-OH vitamin D",
        ("25", "vit", "calcidiol"),
    ),
    Lab("calcium", re.compile(r"\b(?:(?:albumin-?\s*)?corrected\s+)?(?:calcium|ca)\b"), CALCIUM_RANGE, "calcium",
        ("ca",)),
    Lab("pth", re.compile(r"\b(?:intact\s+)?(?:pth|parathyroid\s+hormone)\b"), PTH_RANGE, "PTH",
        ("pth", "parathyroid")),
    Lab("tsh", re.compile(r"\btsh\b"), TSH_RANGE, "TSH", ("tsh",)),
    Lab("alkaline_phosphatase", re.compile(r"\b(?:(?:serum\s+|total\s+)?alkaline\s+phosphatase|alk\.?\s*phos|alp)\b"),
        ALP_RANGE, "alkaline phosphatase", ("alk", "alp")),
)
DOSING_AFTER = re.compile(
    r"\s*(?:daily|weekly|monthly|a\s+(?:day|week|month)|per\s+(?:day|week)|/\s*(?:day|d|week|wk)\b|"
    r"(?:bid|tid|qd|od|qw|qwk|qod|po)\b|once|twice|x\s*\d+\s*/)"
)
CRCL = re.compile(r"crcl|cr\s*cl|creat(?:inine)?\.?\s+clearance|clcr")
LAB_UNITS_OK = {
    "egfr": frozenset({None, "ml/min", "ml"}),
    "vitamin_d": frozenset({None, "ng/ml", "ng", "nmol/l", "nmol"}),
    "calcium": frozenset({None, "mg/dl", "mmol/l", "mmol"}),
    "pth": frozenset({None, "pg/ml", "pg", "pmol/l"}),
    "tsh": frozenset({None, "miu/l", "uiu/ml", "miu"}),
    "alkaline_phosphatase": frozenset({None, "units", "unit", "iu"}),
}
# "CKD stage 4", "CKD G3b", "stage IV chronic kidney disease", "ESRD": the stage (1-5)
_STAGE = r"(?P<{g}>[1-5]|iv|v|i{{1,3}})[ab]?"
CKD_STAGE = re.compile(
    r"\b(?:ckd|chronic\s+kidney\s+disease|chronic\s+renal\s+(?:disease|failure|insufficiency))\s*[,(]?\s*"
    r"(?:stage|st\.?|g)\s*" + _STAGE.format(g="a") + r"(?![\w.])|"
    r"\bckd\s*-?\s*" + _STAGE.format(g="b") + r"(?![\w.])|"
    r"\b(?:stage|g)\s*" + _STAGE.format(g="c") + r"\s+(?:ckd|chronic\s+kidney\s+disease)\b|"
    r"(?P<esrd>\besrd\b|\beskd\b|\bend[\s-]stage\s+(?:renal|kidney)\s+(?:disease|failure))"
)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}


def read_ckd_stage(text: str, r: Reading) -> None:
    """The CKD stage, when said (ESRD / end-stage kidney disease is stage 5)."""
    if "ckd" not in text and "kidney" not in text and "renal" not in text and "esrd" not in text \
            and "eskd" not in text:
        return
    for m in CKD_STAGE.finditer(text):
        if m.group("esrd"):
            stage = 5
        else:
            raw = m.group("a") or m.group("b") or m.group("c")
            stage = int(raw) if raw.isdecimal() else ROMAN[raw]
        r.found.append(Found("ckd_stage", stage, m.start(), m.end(), policy="highest"))
        r.consumed.append((m.start(), m.end()))


def read_labs(text: str, nums: list[Num], r: Reading | None = None) -> Reading:
    if r is None:
        r = Reading()
    if not nums:
        return r  # a lab is read only with its value
    for lab in LABS:
        for g in lab.gate:
            if g in text:
                break
        else:
            continue
        for m in lab.keyword.finditer(text):
            n = next_num(text, nums, m.end(), LAB_GAP)
            if n is None or n.unit not in LAB_UNITS_OK[lab.path]:
                continue
            n.used = True
            if n.threshold or DOSING_AFTER.match(text, n.unit_end):
                continue  # a threshold, or a dose ("vit D3 2000 daily"), not a level
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

