"""Duration and drug holidays: reassess bisphosphonates after 5 years oral / 3 years IV (ASBMR 2016, with
the Endocrine Society 2019 variant), continue when still at high risk, otherwise consider a holiday; no
holiday from denosumab; anabolic courses are finite and followed by an antiresorptive.
"""

from __future__ import annotations

from assistant.engine.knowledge import situations as sit
from assistant.engine.knowledge.drugs import BISPHOSPHONATES, canonical
from assistant.engine.knowledge.profiles import profile_of
from assistant.engine.knowledge.thresholds import threshold
from assistant.engine.model import (
    Assessment,
    Finding,
    Recommendation,
    Section,
    Urgency,
    rule,
    section_recommendation,
)
from assistant.facts import Facts, FractureSite, Intent, Medication, Site, Status

ASBMR = "asbmr-2016#reassess"
ENDO_HOLIDAY = "endo-2019#holiday"
ENDO_DEN = "endo-2019#denosumab-no-stop"
ECTS = "tsourdi-2021#denosumab-discontinuation"
ENDO_ANABOLIC = "endo-2019#anabolic"
ROMO = "label-romosozumab#dosing"
ABL = "label-abaloparatide#dosing"
AFF = "asbmr-2016#aff-risk"
AACE_VHR = "aace-2020#very-high-risk-list"

# ASBMR 2016: reassess after 5 years oral / 3 years IV; continue up to 10 / 6 years if still high risk;
# otherwise a 2-3 year holiday.
REVIEW_ORAL_YEARS = threshold("bisphosphonate-review-oral")
REVIEW_IV_YEARS = threshold("bisphosphonate-review-iv")
MAX_ORAL_YEARS = threshold("bisphosphonate-max-oral")
MAX_IV_YEARS = threshold("bisphosphonate-max-iv")
HOLIDAY_MIN_YEARS = threshold("bisphosphonate-holiday-min")
HOLIDAY_MAX_YEARS = threshold("bisphosphonate-holiday-max")
# Hip T-score at or below which risk stays high (ASBMR 2016).
HIGH_RISK_HIP_T = threshold("holiday-high-risk-hip-t")
# Endocrine Society 2019: reassess after 3-5 years; holiday up to 5 years.
ENDO_REVIEW_MIN = threshold("endocrine-review-min")
ENDO_REVIEW_MAX = threshold("endocrine-review-max")
ENDO_HOLIDAY_MAX = threshold("endocrine-holiday-max")
# Denosumab: reassess after 5-10 years (Endocrine Society 2019); follow-on 6 months after the last dose.
DEN_REVIEW_MIN = threshold("denosumab-review-min")
DEN_REVIEW_MAX = threshold("denosumab-review-max")
DEN_FOLLOW_ON_MONTHS = threshold("denosumab-follow-on")
# Anabolic courses: teriparatide/abaloparatide up to 2 years (Endocrine 2019); romosozumab 12 doses (label).
PTH_ANALOGUE_MAX_YEARS = threshold("pth-analogue-max")
ROMOSOZUMAB_DOSES = threshold("romosozumab-doses")


SECTION = Section.DURATION  # this topic's answer section (read once: enum look-ups are slow)


_rec = section_recommendation(SECTION)  # _rec(id, statement, citations, urgency=INFO, **params)


def _current_meds(f: Facts) -> list[Medication]:
    return [m for m in f.medications if m.status == Status.AFFIRMED]


def _high_risk_reasons(f: Facts) -> tuple[list[str], list[str]]:
    """Reasons to continue (ASBMR 2016), and the facts still unknown that could add one."""
    reasons: list[str] = []
    unknown: list[str] = []
    hips = [f.t_scores[s] for s in (Site.FEMORAL_NECK, Site.TOTAL_HIP) if s in f.t_scores]
    if hips:
        if min(hips) <= HIGH_RISK_HIP_T.value:
            reasons.append(f"a hip T-score of {min(hips):g}")
    else:
        unknown.append("t_scores")
    if FractureSite.HIP in f.fracture_sites or FractureSite.VERTEBRAL in f.fracture_sites:
        reasons.append("a hip or vertebral fracture")
    elif f.prior_fragility_fracture is None and not f.fracture_sites:
        unknown.append("prior_fragility_fracture")
    if f.has("fracture_on_therapy"):
        reasons.append("a fracture on treatment")
    return reasons, unknown


@rule("duration-bisphosphonate-review", topic="duration", cites=[ASBMR, ENDO_HOLIDAY])
def bisphosphonate_review(f: Facts, a: Assessment) -> Finding | None:
    """Bisphosphonates: reassess after the ASBMR review time; continue if still at high risk, else a holiday.
    Not after an atypical femur fracture (the bisphosphonate is stopped) nor with thigh pain on it (imaging comes
    before any other drug decision): the situation's own first step says what to do (rules/situations.py)."""
    if sit.established_aff(f) or sit.prodromal_thigh_pain(f):
        return None
    meds = [m for m in _current_meds(f) if canonical(m.name) in BISPHOSPHONATES]
    asked = a.intent == Intent.DRUG_HOLIDAY_OR_DURATION
    offered = not {"alendronate", "risedronate", "zoledronic_acid"}.isdisjoint(a.drugs_offered)
    if not meds:
        if not (asked or offered):
            return None
        rec = _rec(
            "duration-plan",
            "duration-plan",
            [ASBMR],
            oral=REVIEW_ORAL_YEARS.value,
            iv=REVIEW_IV_YEARS.value,
            oral_max=MAX_ORAL_YEARS.value,
            iv_max=MAX_IV_YEARS.value,
            hol_min=HOLIDAY_MIN_YEARS.value,
            hol_max=HOLIDAY_MAX_YEARS.value,
        )
        return Finding(
            result=f"plan: reassess after {REVIEW_ORAL_YEARS} years oral / {REVIEW_IV_YEARS} years IV",
            used=["medications"],
            recommendations=[rec],
            missing=["medications"] if asked else [],
        )
    m = meds[0]
    drug = canonical(m.name)
    iv = drug == "zoledronic_acid"
    review, most = (
        (REVIEW_IV_YEARS.value, MAX_IV_YEARS.value) if iv else (REVIEW_ORAL_YEARS.value, MAX_ORAL_YEARS.value)
    )
    base = {
        "drug": drug,
        "iv": iv,
        "review": review,
        "most": most,
        "years": m.years,
        "hol_min": HOLIDAY_MIN_YEARS.value,
        "hol_max": HOLIDAY_MAX_YEARS.value,
    }
    threshold = (
        f"reassess at {review} years; continue up to {most} if hip T <= {HIGH_RISK_HIP_T} or hip/vertebral fracture"
    )
    used = ["medications", "t_scores", "fracture_sites", "conditions.fracture_on_therapy"]
    if f.has("fracture_on_therapy") and a.very_high_risk:
        # A fracture on the drug: no holiday (ASBMR: still high risk), but not a routine "continue" either: the
        # very-high-risk plan the decision rules gave (AACE/ACE: a fracture on therapy is very high risk) applies.
        aace = profile_of(a).very_high_risk.scheme == "aace"
        cites = [ASBMR, AACE_VHR] if aace else [ASBMR]
        rec = _rec("duration-bisphosphonate-review", "duration-fracture-on-therapy", cites, aace=aace, **base)
        return Finding(
            result=f"{drug}: fracture on treatment; no holiday, the very-high-risk plan applies",
            used=used,
            threshold=threshold,
            recommendations=[rec],
        )
    if m.years is None:
        rec = _rec("duration-bisphosphonate-review", "duration-years-unknown", [ASBMR], **base)
        return Finding(
            result=f"{drug}: duration not given; reassess at {review} years",
            used=used,
            threshold=threshold,
            recommendations=[rec],
            missing=["medications"],
        )
    if m.years < review:
        rec = _rec("duration-bisphosphonate-review", "duration-before-review", [ASBMR], **base)
        return Finding(
            result=f"{drug} {m.years:g} y: continue, reassess at {review} y",
            used=used,
            threshold=threshold,
            recommendations=[rec],
        )
    reasons, unknown = _high_risk_reasons(f)
    if reasons:
        verdict = "beyond" if m.years >= most else "continue"
    else:
        verdict = "unknown" if unknown else "holiday"
    cites = [ASBMR] + ([AFF] if verdict == "beyond" else [])
    recs = [
        _rec(
            "duration-bisphosphonate-review",
            f"duration-{verdict}",
            cites,
            Urgency.WARNING if verdict in ("beyond", "unknown") else Urgency.INFO,
            reasons=reasons,
            need_hip="t_scores" in unknown,
            need_fracture="prior_fragility_fracture" in unknown,
            **base,
        ),
        _rec(
            "duration-endocrine-variant",
            "duration-endocrine-variant",
            [ENDO_HOLIDAY],
            lo=ENDO_REVIEW_MIN.value,
            hi=ENDO_REVIEW_MAX.value,
            hol=ENDO_HOLIDAY_MAX.value,
        ),
    ]
    return Finding(
        result=f"{drug} {m.years:g} y: {verdict}" + (f" ({', '.join(reasons)})" if reasons else ""),
        used=used,
        threshold=threshold,
        recommendations=recs,
        missing=unknown if verdict == "unknown" else [],
    )


@rule("duration-denosumab-no-holiday", topic="duration", cites=[ENDO_DEN, ECTS])
def denosumab_no_holiday(f: Facts, a: Assessment) -> Finding | None:
    """Denosumab: no drug holiday; reassess after the Endocrine Society review time, with a follow-on if it stops."""
    on = "denosumab" in a.derived.current  # the canonical names of the drugs taken now (engine/derived.py)
    stopped = any(m.name == "denosumab" and m.status == Status.HISTORICAL for m in f.medications)
    # Already stopped: no holiday or review time to plan; the follow-on and its timing are the safety rule's.
    if not (on or a.intent == Intent.DENOSUMAB_STOP) or (stopped and not on):
        return None
    rec = _rec(
        "duration-denosumab-no-holiday",
        "duration-denosumab",
        [ENDO_DEN, ECTS],
        Urgency.WARNING,
        lo=DEN_REVIEW_MIN.value,
        hi=DEN_REVIEW_MAX.value,
        months=DEN_FOLLOW_ON_MONTHS.value,
    )
    return Finding(
        result=f"denosumab: no drug holiday; reassess at {DEN_REVIEW_MIN}-{DEN_REVIEW_MAX} years",
        used=["medications"],
        recommendations=[rec],
    )


@rule("duration-anabolic-course", topic="duration", cites=[ENDO_ANABOLIC, ABL, ROMO])
def anabolic_course(f: Facts, a: Assessment) -> Finding | None:
    """Anabolic drugs: the length of the course, and the antiresorptive that must follow it."""
    recs: list[Recommendation] = []
    for m in _current_meds(f):
        d = canonical(m.name)
        if d in ("teriparatide", "abaloparatide"):
            recs.append(
                _rec(
                    f"duration-{d}",
                    "duration-pth-analogue",
                    [ENDO_ANABOLIC, ABL],
                    drug=d,
                    most=PTH_ANALOGUE_MAX_YEARS.value,
                    years=m.years,
                )
            )
        elif d == "romosozumab":
            recs.append(_rec("duration-romosozumab", "duration-romosozumab", [ROMO], doses=ROMOSOZUMAB_DOSES.value))
    if not recs:
        return None
    return Finding(result="anabolic course: finite, then antiresorptive", used=["medications"], recommendations=recs)
