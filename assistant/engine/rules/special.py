"""Special groups: men, adults under 50, women 65+ with advanced osteopenia, glucocorticoid users
(ACR 2022) and chronic kidney disease with eGFR below 30."""

from __future__ import annotations

from assistant.engine.knowledge.bmd import T_SCORE_AGE
from assistant.engine.knowledge.glucocorticoids import (
    GC_ASSESS_DOSE,
    GC_ASSESS_MONTHS,
    GC_FRAX_AGE,
    GC_VERY_HIGH_DOSE,
    acr_stratum,
)
from assistant.engine.knowledge.intents import DECISION_INTENTS
from assistant.engine.knowledge.thresholds import threshold
from assistant.engine.model import (
    Assessment,
    Category,
    Finding,
    Recommendation,
    Section,
    Urgency,
    rule,
)
from assistant.facts import Facts, Intent, Sex

# Older women with advanced osteopenia (seed; reid-2018, gourlay-2012, acp-2023).
OLDER_AGE = threshold("older-age")
YOUNG_ADULT_AGE = threshold("young-adult-age")
ADVANCED_OSTEOPENIA_T_BELOW = threshold("advanced-osteopenia-t")
# ACR 2022 glucocorticoid-induced osteoporosis: the strata live in knowledge/glucocorticoids.py (issue 16 shares them).
# CKD (kdigo-2017#ckd-g4-g5-caution; secondary summaries only, so phrased as caution).
CKD_EGFR_BELOW = threshold("ckd-g4-egfr")

# Intents that get the special-groups section.
SPECIAL_INTENTS = DECISION_INTENTS

MEN_CITES = ["endo-men-2012#men-thresholds", "iscd-2019#diagnostic-sites"]
YOUNG_CITES = ["iscd-2019#z-scores-younger-adults"]
OLDER_CITES = ["reid-2018#zoledronate-osteopenia", "gourlay-2012#progression-by-band", "acp-2023#osteopenia-over-65"]
GC_ASSESS_CITES = ["acr-2022#assessment"]
GC_TREAT_CITES = ["acr-2022#treatment"]
GC_STRATA_CITES = ["acr-2022#risk-strata"]
CKD_CITES = ["kdigo-2017#ckd-g4-g5-caution"]


def _shown(a: Assessment) -> bool:
    return a.in_scope and a.intent in SPECIAL_INTENTS


def _one(
    rec_id: str,
    statement: str,
    params: dict,
    cites: list[str],
    result: str,
    used: list[str],
    urgency: Urgency = Urgency.INFO,
    section: Section = Section.SPECIAL,
) -> Finding:
    return Finding(
        result=result,
        used=used,
        recommendations=[
            Recommendation(
                id=rec_id, section=section, statement=statement, params=params, citations=cites, urgency=urgency
            )
        ],
    )


@rule("special-men", topic="special", cites=MEN_CITES)
def men(f: Facts, a: Assessment) -> Finding | None:
    """Men 50 and over: same categories and thresholds as women; check testosterone."""
    if not _shown(a) or f.sex == Sex.FEMALE or f.menopause is not None:
        return None
    if f.age is not None and f.age < T_SCORE_AGE.value:
        return None
    return _one(
        "special-men",
        "special-men",
        {"age": f.age, "male": f.sex == Sex.MALE},
        MEN_CITES,
        f"men {T_SCORE_AGE}+: same categories and thresholds",
        ["sex", "age"],
    )


@rule("special-younger-adults", topic="special", cites=YOUNG_CITES)
def under_50(f: Facts, a: Assessment) -> Finding | None:
    """Premenopausal women and men under 50: Z-scores; no osteoporosis on bone density alone."""
    if not _shown(a):
        return None
    if not a.derived.uses_z_scores and f.age is not None:
        return None
    if f.age is None and f.menopause is not None and not a.derived.uses_z_scores:
        return None
    return _one(
        "special-under-50",
        "special-under-50",
        {"age": f.age, "applies": a.derived.uses_z_scores},
        YOUNG_CITES,
        f"under {YOUNG_ADULT_AGE} / premenopausal: Z-scores",
        ["age", "sex", "menopause"],
    )


@rule("special-older-advanced-osteopenia", topic="special", cites=OLDER_CITES)
def older_advanced_osteopenia(f: Facts, a: Assessment) -> Finding | None:
    """65 and over with T < -2.0: the case for treatment is stronger than in younger, milder osteopenia."""
    if not _shown(a) or f.sex == Sex.MALE or a.derived.uses_z_scores:
        return None
    if a.classification.category not in (Category.OSTEOPENIA, None):
        return None
    low = a.derived.lowest_t
    t = low[0] if low else None
    if f.age is not None and (f.age < OLDER_AGE.value or (t is not None and t >= ADVANCED_OSTEOPENIA_T_BELOW.value)):
        return None
    tailored = f.age is not None and t is not None
    return _one(
        "special-65-plus",
        "special-65-plus",
        {"age": f.age if tailored else None, "t": t if tailored else None},
        OLDER_CITES,
        f"{OLDER_AGE}+ with T < {ADVANCED_OSTEOPENIA_T_BELOW}: stronger case for treatment"
        if tailored
        else f"{OLDER_AGE}+ with T < {ADVANCED_OSTEOPENIA_T_BELOW} (general note; age not given)",
        ["age", "t_scores"],
    )


@rule("special-glucocorticoids-acr", topic="special", cites=[*GC_ASSESS_CITES, *GC_TREAT_CITES])
def glucocorticoids(f: Facts, a: Assessment) -> Finding | None:
    """Glucocorticoid users (ACR 2022): assess early, universal measures, drug therapy from moderate risk."""
    if not a.in_scope or not (f.glucocorticoids is True or a.intent == Intent.GLUCOCORTICOID):
        return None
    if f.glucocorticoids is False:
        return None
    recs = [
        Recommendation(
            id="special-gc-assessment",
            section=Section.SPECIAL,
            statement="special-gc-assessment",
            params={"age": f.age, "under_40": f.age is not None and f.age < GC_FRAX_AGE.value},
            citations=GC_ASSESS_CITES,
        ),
        Recommendation(
            id="special-gc-treatment",
            section=Section.SPECIAL,
            statement="special-gc-treatment",
            params={
                "dose": f.glucocorticoid_dose_mg,
                "very_high_dose": f.glucocorticoid_dose_mg is not None
                and f.glucocorticoid_dose_mg >= GC_VERY_HIGH_DOSE.value,
            },
            citations=GC_TREAT_CITES,
        ),
    ]
    stratum = acr_stratum(f) if f.glucocorticoids is True else None
    if stratum is not None:
        recs.append(
            Recommendation(
                id="special-gc-stratum",
                section=Section.SPECIAL,
                statement="special-gc-stratum",
                params={"stratum": stratum},
                citations=[*GC_STRATA_CITES, *GC_TREAT_CITES],
            )
        )
    return Finding(
        result="glucocorticoids (ACR 2022)"
        + (f": {stratum} risk (strata from a secondary summary)" if stratum else ""),
        used=["glucocorticoids", "glucocorticoid_dose_mg", "age", "frax", "t_scores", "prior_fragility_fracture"],
        threshold=f">= {GC_ASSESS_DOSE} mg/day for > {GC_ASSESS_MONTHS} months; "
        "strata: very high / high / moderate / low",
        recommendations=recs,
        missing=[] if f.glucocorticoid_dose_mg is not None else ["glucocorticoid_dose_mg"],
    )


@rule("special-ckd-advanced", topic="special", cites=CKD_CITES)
def ckd_below_30(f: Facts, a: Assessment) -> Finding | None:
    """eGFR below 30 (or dialysis): exclude CKD-MBD before osteoporosis drugs; cautious, referral advised."""
    if not a.in_scope:
        return None
    low_egfr = f.egfr is not None and f.egfr < CKD_EGFR_BELOW.value
    if not (low_egfr or f.has("dialysis")):
        return None
    return _one(
        "special-ckd",
        "special-ckd",
        {"egfr": f.egfr, "crcl": f.egfr_is_crcl, "dialysis": f.has("dialysis")},
        CKD_CITES,
        f"eGFR < {CKD_EGFR_BELOW}: exclude CKD-MBD first, refer (KDIGO, secondary summaries)",
        ["egfr", "conditions.dialysis"],
        urgency=Urgency.WARNING,
    )
