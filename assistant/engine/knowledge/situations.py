"""Which of the situations a consultant must not miss the facts describe (issue 16), and the drugs each
one takes off the table. A leaf: it reads Facts and corpus/thresholds.yaml, nothing of the engine.

Each situation has its own first step, which comes before the generic plan (situations.md §1-§11):
an established atypical femur fracture, prodromal thigh or groin pain on an antiresorptive, an
osteomalacia pattern, CKD G4-5 or dialysis, primary hyperparathyroidism, aromatase inhibitors or
androgen deprivation, bariatric surgery, an overdue denosumab dose.
"""

from __future__ import annotations

from assistant.engine.knowledge.thresholds import threshold
from assistant.facts import Facts, Status

ORAL_BISPHOSPHONATES = ("alendronate", "risedronate", "ibandronate")
BISPHOSPHONATES = (*ORAL_BISPHOSPHONATES, "zoledronic_acid")
ANTIRESORPTIVES = (*BISPHOSPHONATES, "denosumab", "raloxifene")
SERMS = ("raloxifene",)
_ON = (Status.AFFIRMED, Status.HISTORICAL)
DAYS_PER_MONTH = 365.25 / 12  # a unit conversion, not a clinical number


def _drug(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_").replace("zoledronate", "zoledronic_acid")


def taking(f: Facts, drugs: tuple[str, ...]) -> list[str]:
    """Of `drugs`, those the patient takes now (affirmed)."""
    return [d for d in (_drug(m.name) for m in f.medications if m.status == Status.AFFIRMED) if d in drugs]


def took(f: Facts, drugs: tuple[str, ...]) -> list[str]:
    """Of `drugs`, those the patient takes now or took before."""
    return [d for d in (_drug(m.name) for m in f.medications if m.status in _ON) if d in drugs]


def kidney_advanced(f: Facts) -> bool:
    """CKD G4-5 or dialysis: eGFR below 30, a stated stage of 4 or 5, or dialysis (which sets kidney function)."""
    if f.has("dialysis"):
        return True
    if f.ckd_stage is not None and f.ckd_stage >= threshold("ckd-advanced-stage").value:
        return True
    return f.egfr is not None and f.egfr < threshold("ckd-advanced-egfr").value


def kidney_known(f: Facts) -> bool:
    """Kidney function is given: a number, a stage, or dialysis."""
    return f.egfr is not None or f.ckd_stage is not None or f.has("dialysis")


def established_aff(f: Facts) -> bool:
    return f.has("atypical_femur_fracture")


def prodromal_thigh_pain(f: Facts) -> bool:
    """Thigh or groin pain in someone on (or recently on) a bisphosphonate or denosumab."""
    return f.has("thigh_pain") and not established_aff(f) and bool(took(f, (*BISPHOSPHONATES, "denosumab")))


def osteomalacia_pattern(f: Facts) -> list[str]:
    """The features of an osteomalacia pattern the facts show (empty: no pattern). Stated osteomalacia counts;
    otherwise very low vitamin D or low calcium together with a raised alkaline phosphatase, or very low
    vitamin D with low calcium."""
    if f.has("osteomalacia"):
        return ["osteomalacia stated"]
    features: list[str] = []
    if f.vitamin_d is not None and f.vitamin_d < threshold("osteomalacia-vitamin-d").value:
        features.append("very low vitamin D")
    if f.has("hypocalcaemia"):
        features.append("low calcium")
    if f.has("high_alkaline_phosphatase"):
        features.append("raised alkaline phosphatase")
    return features if len(features) >= 2 else []


def cancer_treatment(f: Facts) -> str | None:
    """'aromatase_inhibitor' or 'androgen_deprivation' when the patient takes one."""
    if f.has("aromatase_inhibitor"):
        return "aromatase_inhibitor"
    if f.has("androgen_deprivation"):
        return "androgen_deprivation"
    return None


def after_bariatric_surgery(f: Facts) -> bool:
    return f.has("bariatric_surgery")


def denosumab_months_since_last(f: Facts) -> float | None:
    for m in f.medications:
        if _drug(m.name) == "denosumab" and m.status in _ON and m.months_since_last is not None:
            return m.months_since_last
    return None


def denosumab_timing(f: Facts) -> str | None:
    """'overdue' (more than 7 months since the last injection), 'due' (more than 6), 'on-time', or None."""
    months = denosumab_months_since_last(f)
    if months is None:
        return None
    if months > threshold("denosumab-delayed-months").value:
        return "overdue"
    if months >= threshold("denosumab-interval-months").value:
        return "due"
    return "on-time"


def blocked_drugs(f: Facts) -> dict[str, str]:
    """Drugs not to be started or advised, each with the situation that bars it (first reason kept)."""
    out: dict[str, str] = {}

    def bar(drugs: tuple[str, ...], why: str) -> None:
        for d in drugs:
            out.setdefault(d, why)

    if established_aff(f):
        bar(ANTIRESORPTIVES, "aff")
    if prodromal_thigh_pain(f):
        bar(ANTIRESORPTIVES, "thigh_pain")
    if osteomalacia_pattern(f):
        bar(ANTIRESORPTIVES, "osteomalacia")
    if kidney_advanced(f):
        # Every bisphosphonate is below its label cut-off; denosumab stays an option (no dose change) under its
        # boxed warning, after CKD-MBD is assessed (label-denosumab#hypocalcaemia).
        bar(BISPHOSPHONATES, "ckd")
    if after_bariatric_surgery(f):
        bar(ORAL_BISPHOSPHONATES, "bariatric")
    if f.has("aromatase_inhibitor"):
        bar(SERMS, "aromatase_inhibitor")
    return out
