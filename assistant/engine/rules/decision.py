"""Treat or not (US default: BHOF 2022, with AACE/ACE where the fact sheet says so).

Rules run in order of strength; the first that applies decides (it sets `because`), the others
step aside. Each rule's name says why it applies, the way guideline-as-code names its criteria.
"""

from __future__ import annotations

from assistant.engine.knowledge.bmd import T_NORMAL, T_OSTEOPOROSIS, low_bone_mass, site_label, who_younger
from assistant.engine.knowledge.fractures import (
    HIP_OR_VERTEBRAL,
    fracture_label,
    fracture_sites,
    has_fragility_fracture,
)
from assistant.engine.knowledge.frax import frax_inputs, frax_over, frax_params, frax_thresholds
from assistant.engine.knowledge.intents import DECISION_INTENTS, patient_specific
from assistant.engine.knowledge.profiles import profile_of, women_only_outside
from assistant.engine.knowledge.very_high_risk import (
    ENDO_VERY_HIGH_T_BELOW,
    VERY_HIGH_FRAX_HIP_ABOVE,
    VERY_HIGH_FRAX_MAJOR_ABOVE,
    VERY_HIGH_RECENT_FRACTURE_MONTHS,
    VERY_HIGH_T_BELOW,
    endocrine_very_high_reasons,
    very_high_risk_reasons,
)
from assistant.engine.model import (
    Assessment,
    Because,
    Category,
    Decision,
    Finding,
    Recommendation,
    Section,
    Urgency,
    rule,
)
from assistant.facts import Facts, Menopause, Sex

WHO_TO_TREAT = "bhof-2022#who-to-treat"
ACP_OSTEOPENIA = "acp-2023#osteopenia-over-65"
ACP_FIRST_LINE = "acp-2023#bisphosphonate-first-line"
ACP_ANABOLIC = "acp-2023#anabolic-very-high-risk"
ENDO_VERY_HIGH_CITES = ["endo-2020#anabolic-sequence", "endo-2020#romosozumab"]
AACE_TREAT = ["aace-2020#treat-osteoporosis", "aace-2020#clinical-diagnosis"]
BOTTOM_LINE_CITES = [WHO_TO_TREAT, "reid-mcclung-2024#risk-not-label"]
VERY_HIGH_CITES = ["aace-2020#very-high-risk-list"]
SEQUENCE_CITES = ["aace-2020#anabolic-then-antiresorptive", "endo-2020#anabolic-sequence"]


def _open(a: Assessment) -> bool:
    """No earlier decision rule has decided."""
    return a.because is None and a.in_scope


def _decide(
    decision: Decision,
    statement: str,
    params: dict,
    citations: list[str],
    result: str,
    used: list[str],
    threshold: str | None = None,
    missing: list[str] | None = None,
    recommendations: list[Recommendation] | None = None,
) -> Finding:
    return Finding(
        result=result,
        used=used,
        threshold=threshold,
        decision=decision,
        because=Because(statement=statement, params=params, citations=citations),
        missing=missing or [],
        recommendations=recommendations or [],
    )


@rule("decision-not-asked", topic="decision")
def not_asked(f: Facts, a: Assessment) -> Finding | None:
    """A question about something other than starting treatment, with no patient data: n/a."""
    if not _open(a) or a.intent in DECISION_INTENTS or patient_specific(f):
        return None
    return _decide(Decision.NA, "decision-not-asked", {}, [], result=f"n/a: intent {a.intent.value}", used=["intent"])


@rule("decision-younger-adult", topic="decision", cites=["iscd-2019#z-scores-younger-adults", WHO_TO_TREAT])
def younger_adult(f: Facts, a: Assessment) -> Finding | None:
    """Premenopausal women and men under 50: the BHOF thresholds do not apply; decision is individual."""
    if not _open(a) or not a.derived.uses_z_scores:
        return None
    below = a.classification.category == Category.BELOW_EXPECTED_FOR_AGE
    return _decide(
        Decision.CONDITIONAL,
        "decision-younger-adult",
        {"who": who_younger(f), "below": below, "fracture": has_fragility_fracture(f)},
        ["iscd-2019#z-scores-younger-adults", WHO_TO_TREAT],
        result="conditional: younger adult, T-score thresholds do not apply",
        used=["age", "sex", "menopause", "z_scores"],
        missing=[] if f.z_scores or f.z_score_unsited is not None else ["z_scores"],
    )


@rule("decision-treat-hip-vertebral-fracture", topic="decision", cites=[WHO_TO_TREAT, "bhof-2022#clinical-diagnosis"])
def hip_vertebral_fracture(f: Facts, a: Assessment) -> Finding | None:
    """BHOF criterion 1: a hip or vertebral (clinical or morphometric) fracture."""
    sites = HIP_OR_VERTEBRAL.intersection(fracture_sites(f))
    if not _open(a) or not sites:
        return None
    return _decide(
        Decision.YES,
        "decision-yes-hip-vertebral",
        {"sites": fracture_label(sites)},
        [WHO_TO_TREAT, "bhof-2022#clinical-diagnosis"],
        result=f"yes: {'/'.join(fracture_label(sites))} fragility fracture",
        used=["fracture_sites", "prior_fragility_fracture"],
        threshold="hip or vertebral fracture",
    )


@rule("decision-treat-t-score-osteoporosis", topic="decision", cites=[WHO_TO_TREAT, "iscd-2019#diagnostic-sites"])
def t_score_osteoporosis(f: Facts, a: Assessment) -> Finding | None:
    """BHOF criterion 2: T-score <= -2.5 at femoral neck, total hip or lumbar spine."""
    low = a.derived.lowest_t
    if not _open(a) or low is None or low[0] > T_OSTEOPOROSIS.value:
        return None
    t, site = low
    return _decide(
        Decision.YES,
        "decision-yes-t-score",
        {"t": t, "site": site_label(site), "sited": site is not None},
        [WHO_TO_TREAT, "iscd-2019#diagnostic-sites"],
        result=f"yes: lowest T {t} <= {T_OSTEOPOROSIS}",
        used=["t_scores"],
        threshold=f"T-score <= {T_OSTEOPOROSIS}",
    )


@rule("decision-treat-low-bone-mass-fracture", topic="decision", cites=AACE_TREAT)
def low_bone_mass_fracture(f: Facts, a: Assessment) -> Finding | None:
    """AACE/ACE: low bone mass with a fragility fracture is osteoporosis, and is treated."""
    if not _open(a) or not low_bone_mass(f, a) or not has_fragility_fracture(f):
        return None
    if not profile_of(a).decision.low_mass_fracture:
        return None  # ACP and Endocrine profiles: the densitometric label stands (sources.md §11.5)
    sites = [s for s in fracture_sites(f) if s not in HIP_OR_VERTEBRAL]
    return _decide(
        Decision.YES,
        "decision-yes-low-mass-fracture",
        {"sites": fracture_label(sites)},
        AACE_TREAT,
        result="yes: low bone mass with a fragility fracture (AACE)",
        used=["t_scores", "conditions.osteopenia_stated", "prior_fragility_fracture", "fracture_sites"],
        threshold=f"T-score between {T_NORMAL} and {T_OSTEOPOROSIS} plus a fragility fracture",
    )


@rule("decision-treat-fragility-fracture-any-bmd-aace", topic="decision", cites=AACE_TREAT)
def fracture_any_bmd_aace(f: Facts, a: Assessment) -> Finding | None:
    """AACE/ACE profile: a fragility fracture (no other metabolic bone disease) is osteoporosis even with
    normal bone density, and osteoporosis is treated (aace-2020#clinical-diagnosis)."""
    p = profile_of(a)
    if not _open(a) or not p.decision.any_fracture or women_only_outside(p, f) or not has_fragility_fracture(f):
        return None
    if a.classification.category not in (None, Category.NORMAL) or a.derived.uses_z_scores:
        return None
    sites = [s for s in fracture_sites(f) if s not in HIP_OR_VERTEBRAL]
    low = a.derived.lowest_t
    return _decide(
        Decision.YES,
        "decision-yes-fracture-any-bmd-aace",
        {"sites": fracture_label(sites), "t": low[0] if low else None},
        AACE_TREAT,
        result="yes: fragility fracture is osteoporosis whatever the bone density (AACE profile)",
        used=["prior_fragility_fracture", "fracture_sites", "t_scores"],
        threshold="fragility fracture without other metabolic bone disease",
        missing=[] if low else ["t_scores"],
    )


@rule("decision-treat-osteoporosis-stated", topic="decision", cites=[WHO_TO_TREAT])
def osteoporosis_stated(f: Facts, a: Assessment) -> Finding | None:
    """Osteoporosis stated without numbers: treatment is indicated (confirm with DXA)."""
    c = a.classification
    if not _open(a) or c.basis != "stated" or c.category != Category.OSTEOPOROSIS:
        return None
    return _decide(
        Decision.YES,
        "decision-yes-stated-osteoporosis",
        {},
        [WHO_TO_TREAT],
        result="yes: osteoporosis as stated (no DXA values given)",
        used=["conditions.osteoporosis_stated"],
        missing=["t_scores"],
    )


@rule("decision-conditional-fracture-without-low-bone-mass", topic="decision", cites=[WHO_TO_TREAT, *AACE_TREAT])
def fracture_not_low_mass(f: Facts, a: Assessment) -> Finding | None:
    """A non-hip, non-vertebral fragility fracture with normal or unknown BMD: BHOF and AACE differ."""
    if not _open(a) or not has_fragility_fracture(f):
        return None
    cat = a.classification.category
    if cat not in (None, Category.NORMAL):
        return None
    sites = [s for s in fracture_sites(f) if s not in HIP_OR_VERTEBRAL]
    view = a.derived.frax
    if view is not None and frax_over(view, a.profile) and cat is None:
        return None  # FRAX at threshold without BMD is handled below
    return _decide(
        Decision.CONDITIONAL,
        "decision-conditional-fracture",
        {"sites": fracture_label(sites), "normal": cat == Category.NORMAL, "t": a.classification.lowest_t_score},
        [WHO_TO_TREAT, *AACE_TREAT],
        result="conditional: fragility fracture without low bone mass shown",
        used=["prior_fragility_fracture", "fracture_sites", "t_scores"],
        missing=(["t_scores"] if cat is None else [])
        + ([] if view else ["frax"])
        + ([] if f.fracture_sites else ["fracture_sites"]),
    )


def _acp_woman(f: Facts) -> bool | None:
    """A woman (the ACP low-bone-mass recommendation is for females); None when sex is not known."""
    if f.sex is not None:
        return f.sex == Sex.FEMALE
    return True if f.menopause in (Menopause.POST, Menopause.PERI) else None


@rule("decision-acp-low-bone-mass-individualised", topic="decision", cites=[ACP_OSTEOPENIA, ACP_FIRST_LINE])
def acp_low_bone_mass(f: Facts, a: Assessment) -> Finding | None:
    """ACP profile: no FRAX threshold; for women over 65 with low bone mass an individualised decision
    (rec 4); ACP makes no recommendation seen for other people with low bone mass."""
    p = profile_of(a)
    if not _open(a) or p.decision.osteopenia != "individualised":
        return None
    no_bmd = a.classification.category is None and a.derived.lowest_t is None
    if not (low_bone_mass(f, a) or no_bmd):
        return None
    view = a.derived.frax
    over = p.decision.individualised_over_age
    woman = _acp_woman(f)
    low = a.derived.lowest_t
    params = {
        "age_limit": over,
        "t": low[0] if low else None,
        "major": view.major if view else None,
        "hip": view.hip if view else None,
        "woman": woman,
        "age": f.age,
    }
    cites = [ACP_OSTEOPENIA, ACP_FIRST_LINE]
    if no_bmd:
        return _decide(
            Decision.CONDITIONAL,
            "decision-acp-no-bmd",
            params,
            cites,
            result="conditional: ACP profile, no bone density given (no FRAX threshold)",
            used=["t_scores", "frax"],
            missing=["t_scores", "prior_fragility_fracture"],
        )
    missing = (["age"] if f.age is None else []) + (["sex"] if woman is None else [])
    if woman is not False and (f.age is None or f.age > over):  # type: ignore[operator]
        statement = "decision-acp-individualised"
        result = f"conditional: ACP rec 4, individualised decision for women over {over} with low bone mass"
    else:
        statement = "decision-acp-no-recommendation"
        result = f"conditional: ACP gives no recommendation on low bone mass outside women over {over}"
    return _decide(
        Decision.CONDITIONAL,
        statement,
        params,
        cites,
        result=result,
        used=["t_scores", "age", "sex", "frax"],
        threshold=f"female, age over {over}, low bone mass (no FRAX threshold)",
        missing=missing,
    )


@rule("decision-treat-frax-at-threshold", topic="decision", cites=[WHO_TO_TREAT])
def frax_at_threshold(f: Facts, a: Assessment) -> Finding | None:
    """BHOF criterion 3: low bone mass and FRAX major >= 20% or hip >= 3%."""
    major_t, hip_t = frax_thresholds(a.profile)
    view = a.derived.frax
    if not _open(a) or view is None or not frax_over(view, a.profile):
        return None
    if low_bone_mass(f, a):
        return _decide(
            Decision.YES,
            "decision-yes-frax",
            frax_params(view, a.profile),
            [WHO_TO_TREAT],
            result=f"yes: FRAX major {view.major} / hip {view.hip} at or over {major_t} / {hip_t}",
            used=["frax", "t_scores"],
            threshold=f"FRAX major >= {major_t} or hip >= {hip_t}",
        )
    if a.classification.category is None and a.derived.lowest_t is None:
        return _decide(
            Decision.CONDITIONAL,
            "decision-conditional-frax-no-bmd",
            frax_params(view, a.profile),
            [WHO_TO_TREAT],
            result="conditional: FRAX at threshold but no bone density given",
            used=["frax"],
            threshold=f"low bone mass and FRAX major >= {major_t} or hip >= {hip_t}",
            missing=["t_scores"],
        )
    return None


@rule("decision-no-treat-frax-below-threshold", topic="decision", cites=[WHO_TO_TREAT])
def frax_below(f: Facts, a: Assessment) -> Finding | None:
    """FRAX given and below both thresholds (or the one given is below): not indicated on these facts."""
    major_t, hip_t = frax_thresholds(a.profile)
    view = a.derived.frax
    if not _open(a) or view is None or frax_over(view, a.profile):
        return None
    if a.classification.category not in (None, Category.OSTEOPENIA):
        return None
    missing = (["frax.hip"] if view.hip is None else []) + (["frax.major"] if view.major is None else [])
    if a.derived.lowest_t is None and a.classification.category is None:
        missing.append("t_scores")
    return _decide(
        Decision.NO,
        "decision-no-frax-below",
        frax_params(view, a.profile),
        [WHO_TO_TREAT],
        result=f"no: FRAX major {view.major} / hip {view.hip} below {major_t} / {hip_t}",
        used=["frax", "t_scores"],
        threshold=f"FRAX major >= {major_t} or hip >= {hip_t}",
        missing=missing,
    )


@rule("decision-no-treat-normal-bmd", topic="decision", cites=["who-1994#t-score-categories", WHO_TO_TREAT])
def normal_bmd(f: Facts, a: Assessment) -> Finding | None:
    """Normal bone density (T >= -1.0) and no fracture criterion: not indicated."""
    low = a.derived.lowest_t
    if not _open(a) or a.classification.category != Category.NORMAL or low is None:
        return None
    return _decide(
        Decision.NO,
        "decision-no-normal-bmd",
        {"t": low[0], "limit": T_NORMAL.value},
        ["who-1994#t-score-categories", WHO_TO_TREAT],
        result=f"no: lowest T {low[0]} is normal (>= {T_NORMAL})",
        used=["t_scores"],
        threshold=f"T-score >= {T_NORMAL} normal",
    )


@rule("decision-conditional-osteopenia-no-frax", topic="decision", cites=BOTTOM_LINE_CITES)
def osteopenia_no_frax(f: Facts, a: Assessment) -> Finding | None:
    """Low bone mass without FRAX: not indicated on BMD alone; FRAX decides (20% / 3%)."""
    major_t, hip_t = frax_thresholds(a.profile)
    if not _open(a) or not low_bone_mass(f, a):
        return None
    _, _, names = frax_inputs(f)
    low = a.derived.lowest_t
    return _decide(
        Decision.CONDITIONAL,
        "decision-conditional-osteopenia",
        {
            "t": low[0] if low else None,
            "major_threshold": major_t.value,
            "hip_threshold": hip_t.value,
        },
        BOTTOM_LINE_CITES,
        result="conditional: low bone mass, FRAX not given",
        used=["t_scores", "frax"],
        threshold=f"FRAX major >= {major_t} or hip >= {hip_t}",
        missing=["frax", *names],
    )


@rule("decision-conditional-no-bone-data", topic="decision", cites=[WHO_TO_TREAT])
def no_bone_data(f: Facts, a: Assessment) -> Finding | None:
    """Nothing about bone density, FRAX or fractures: the decision waits for them."""
    major_t, hip_t = frax_thresholds(a.profile)
    if not _open(a):
        return None
    return _decide(
        Decision.CONDITIONAL,
        "decision-conditional-no-data",
        # on a bone drug now or before: the question is whether treatment goes on, not whether to start it
        {"major_threshold": major_t.value, "hip_threshold": hip_t.value, "on_drug": bool(a.derived.taken)},
        [WHO_TO_TREAT],
        result="conditional: no bone density, FRAX or fracture data",
        used=["t_scores", "frax", "prior_fragility_fracture"],
        missing=["t_scores", "frax", "prior_fragility_fracture", "age", "sex"],
    )


@rule("decision-very-high-risk-aace", topic="decision", cites=[*VERY_HIGH_CITES, *SEQUENCE_CITES])
def very_high_risk(f: Facts, a: Assessment) -> Finding | None:
    """Treatment indicated and an AACE very-high-risk criterion met: anabolic first, then antiresorptive."""
    if a.decision != Decision.YES or profile_of(a).very_high_risk.scheme != "aace":
        return None
    reasons = very_high_risk_reasons(f, a.derived.frax)
    if not reasons:
        return None
    return Finding(
        result="very high risk (AACE list): " + ", ".join(reasons),
        used=["conditions", "fracture_sites", "t_scores", "frax", "glucocorticoids"],
        threshold=f"AACE: fracture < {VERY_HIGH_RECENT_FRACTURE_MONTHS} months, on therapy, multiple, "
        "on glucocorticoids; "
        f"T < {VERY_HIGH_T_BELOW}; falls; "
        f"FRAX major > {VERY_HIGH_FRAX_MAJOR_ABOVE} or hip > {VERY_HIGH_FRAX_HIP_ABOVE}",
        very_high_risk=True,
        very_high_risk_reasons=reasons,
        sequence_advised=True,
        recommendations=[
            Recommendation(
                id="very-high-risk",
                section=Section.RISK,
                statement="risk-very-high-aace",
                params={"r": reasons},
                citations=VERY_HIGH_CITES,
                urgency=Urgency.WARNING,
            ),
            Recommendation(
                id="very-high-risk-sequence",
                section=Section.DRUGS,
                statement="drugs-very-high-risk-sequence",
                params={},
                citations=SEQUENCE_CITES,
            ),
        ],
    )


@rule("decision-very-high-risk-endocrine", topic="decision", cites=ENDO_VERY_HIGH_CITES)
def very_high_risk_endocrine(f: Facts, a: Assessment) -> Finding | None:
    """Endocrine profile: treatment indicated and the 2020 very-high-risk description met."""
    if a.decision != Decision.YES or profile_of(a).very_high_risk.scheme != "endocrine-2020":
        return None
    reasons = endocrine_very_high_reasons(f)
    if not reasons:
        return None
    return Finding(
        result="very high risk (Endocrine 2020): " + ", ".join(reasons),
        used=["t_scores", "prior_fragility_fracture", "fracture_sites", "conditions.multiple_fractures"],
        threshold=f"Endocrine 2020: T-score below {ENDO_VERY_HIGH_T_BELOW} with fractures, "
        "or multiple vertebral fractures",
        very_high_risk=True,
        very_high_risk_reasons=reasons,
        recommendations=[
            Recommendation(
                id="very-high-risk",
                section=Section.RISK,
                statement="risk-very-high-endocrine",
                params={"r": reasons},
                citations=ENDO_VERY_HIGH_CITES,
                urgency=Urgency.WARNING,
            )
        ],
    )


@rule("decision-very-high-risk-undefined-acp", topic="decision", cites=[ACP_ANABOLIC])
def very_high_risk_acp(f: Facts, a: Assessment) -> Finding | None:
    """ACP profile: anabolic drugs only for women at very high risk, which ACP does not define."""
    if a.decision != Decision.YES or profile_of(a).very_high_risk.scheme != "none" or f.sex == Sex.MALE:
        return None
    return Finding(
        result="very high risk: not defined by ACP (clinician judgement)",
        used=["decision", "sex"],
        recommendations=[
            Recommendation(
                id="very-high-risk-undefined",
                section=Section.RISK,
                statement="risk-very-high-undefined-acp",
                params={"aace_would": bool(very_high_risk_reasons(f, a.derived.frax))},
                citations=[ACP_ANABOLIC],
            )
        ],
    )
