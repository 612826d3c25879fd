"""Which of the situations a consultant must not miss the facts describe (issue 16), and the drugs each
one takes off the table. A leaf: it reads Facts and corpus/thresholds.yaml, nothing of the engine.

Each situation has its own first step, which comes before the generic plan (situations.md §1-§11):
an established atypical femur fracture, prodromal thigh or groin pain on an antiresorptive, an
osteomalacia pattern, CKD G4-5 or dialysis, primary hyperparathyroidism, aromatase inhibitors or
androgen deprivation, bariatric surgery, an overdue denosumab dose.
"""

from __future__ import annotations

from assistant.engine.knowledge.fractures import fracture_sites, has_fragility_fracture
from assistant.engine.knowledge.thresholds import threshold
from assistant.facts import Facts, FractureSite, Site, Status

ORAL_BISPHOSPHONATES = ("alendronate", "risedronate", "ibandronate")
BISPHOSPHONATES = (*ORAL_BISPHOSPHONATES, "zoledronic_acid")
ANTIRESORPTIVES = (*BISPHOSPHONATES, "denosumab", "raloxifene")
SERMS = ("raloxifene",)
_ON = (Status.AFFIRMED, Status.HISTORICAL)


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
    return f.egfr is not None and f.egfr < threshold("ckd-g4-egfr").value


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
    if months >= threshold("denosumab-interval").value:
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


def hadji_risk_factors(f: Facts) -> list[str]:
    """The Hadji 2017 risk factors the facts show (T-score below -1.5 is counted separately)."""
    out: list[str] = []
    if f.age is not None and f.age > threshold("ai-hadji-age").value:
        out.append(f"age over {threshold('ai-hadji-age')}")
    bmi = f.body_mass_index()  # (as stated, or from weight and height)
    if bmi is not None and bmi < threshold("ai-hadji-bmi").value:
        out.append(f"a body-mass index below {threshold('ai-hadji-bmi')}")
    if f.has("parental_hip_fracture"):
        out.append("a family history of hip fracture")
    if has_fragility_fracture(f):
        out.append("a fragility fracture")
    if f.glucocorticoids is True and (
        f.glucocorticoid_months is not None and f.glucocorticoid_months > threshold("ai-hadji-steroid-months").value
    ):
        out.append(f"glucocorticoids for more than {threshold('ai-hadji-steroid-months')} months")
    if f.has("smoking"):
        out.append("smoking")
    return out


def cancer_reason(f: Facts, kind: str) -> str | None:
    """Why bone-directed therapy is indicated in cancer-treatment bone loss, or None."""
    low = f.lowest_t()
    t = low[0] if low else None
    frax = f.frax
    if t is not None and t <= threshold("asco-t").value:
        return f"T-score {t:g}"
    if frax is not None and frax.major is not None and frax.major >= threshold("asco-frax-major").value:
        return f"FRAX major {frax.major:g}%"
    if frax is not None and frax.hip is not None and frax.hip >= threshold("asco-frax-hip").value:
        return f"FRAX hip {frax.hip:g}%"
    if kind != "aromatase_inhibitor":
        return None
    rfs = hadji_risk_factors(f)
    if t is not None and t < threshold("ai-hadji-t").value:
        return f"T-score {t:g}, below {threshold('ai-hadji-t')}"
    if t is not None and t < threshold("ai-hadji-t-with-risk-factor").value and rfs:
        return f"T-score {t:g} with {rfs[0]}"
    if t is None and len(rfs) >= threshold("ai-hadji-risk-factors-no-bmd").value:
        return "no bone density, but " + " and ".join(rfs[:2])
    return None


def phpt_met(f: Facts) -> list[str]:
    """The surgery criteria of the Fourth International Workshop that the facts meet."""
    met: list[str] = []
    if has_fragility_fracture(f):
        met.append("a fragility fracture (symptomatic disease)")
    t_limit = threshold("phpt-t").value
    low = [
        v for s, v in f.t_scores.items() if s in (Site.LUMBAR_SPINE, Site.TOTAL_HIP, Site.FEMORAL_NECK, Site.FOREARM_33)
    ]
    if f.t_score_unsited is not None:
        low.append(f.t_score_unsited)
    if low and min(low) <= t_limit:
        met.append(f"T-score {min(low):g}")
    if FractureSite.VERTEBRAL in fracture_sites(f) and "a fragility fracture (symptomatic disease)" not in met:
        met.append("a vertebral fracture")
    if f.egfr is not None and f.egfr < threshold("phpt-egfr").value:
        met.append(f"eGFR {f.egfr:g}")
    if f.age is not None and f.age < threshold("phpt-age").value:
        met.append(f"age {f.age}")
    return met


def romosozumab_course_done(f: Facts) -> bool:
    """Romosozumab taken before, or taken now for its whole course (12 monthly doses, a year)."""
    for m in f.medications:
        if _drug(m.name) != "romosozumab" or m.status not in _ON:
            continue
        if m.status == Status.HISTORICAL:
            return True
        if m.years is not None and m.years * 12 >= threshold("romosozumab-doses").value:
            return True
    return False
