"""Fracture risk: which FRAX inputs are known or missing, and the published FRAX adjustments
(glucocorticoid dose, spine-hip discordance, type 2 diabetes). FRAX itself is never computed:
its equations are not public, so the engine applies thresholds to the values the user gives.
"""

from __future__ import annotations

from assistant.engine.knowledge.frax import (
    FRAX_CITES,
    GC_ADJUST_CITES,
    GC_HIGH_DOSE_ABOVE,
    GC_HIGH_HIP_CHANGE,
    GC_HIGH_MAJOR_CHANGE,
    GC_LOW_DOSE_BELOW,
    GC_LOW_HIP_CHANGE,
    GC_LOW_MAJOR_CHANGE,
    SPINE_CITES,
    SPINE_OFFSET_PER_UNIT,
    T2D_CITES,
    frax_inputs,
    frax_over,
    frax_params,
    frax_thresholds,
)
from assistant.engine.knowledge.profiles import banner_cites, profile_of
from assistant.engine.knowledge.very_high_risk import VERY_HIGH_FRAX_HIP_ABOVE, VERY_HIGH_FRAX_MAJOR_ABOVE
from assistant.engine.model import Assessment, Category, Finding, Recommendation, Section, rule
from assistant.facts import Facts, Site

WHO_TO_TREAT = "bhof-2022#who-to-treat"
ACP_OSTEOPENIA = "acp-2023#osteopenia-over-65"


def frax_relevant(f: Facts, a: Assessment) -> bool:
    """FRAX decides treatment for low bone mass, or where no bone density has been given yet."""
    if a.derived.uses_z_scores:
        return False
    cat = a.classification.category
    return cat == Category.OSTEOPENIA or (cat is None and a.derived.lowest_t is None)


@rule("risk-frax-inputs", topic="risk", cites=FRAX_CITES)
def frax_input_list(f: Facts, a: Assessment) -> Finding | None:
    """No FRAX yet, and it would decide: list the inputs known and still missing."""
    if f.frax is not None and (f.frax.major is not None or f.frax.hip is not None):
        return None
    if not frax_relevant(f, a):
        return None
    known, missing, _ = frax_inputs(f)
    return Finding(
        result=f"FRAX not given: {len(known)} inputs known, {len(missing)} missing",
        used=["age", "sex", "prior_fragility_fracture", "t_scores", "glucocorticoids", "conditions"],
        recommendations=[
            Recommendation(
                id="risk-frax-inputs",
                section=Section.RISK,
                statement="risk-frax-inputs",
                params={"known": known, "missing": missing},
                citations=FRAX_CITES,
            )
        ],
    )


@rule("risk-frax-glucocorticoid-dose", topic="risk", cites=GC_ADJUST_CITES)
def frax_gc_dose(f: Facts, a: Assessment) -> Finding | None:
    """Kanis 2011: lower FRAX below 2.5 mg/day prednisolone, raise it above 7.5 mg/day."""
    view = a.derived.frax
    if view is None or view.gc_band is None:
        return None
    high = view.gc_band == "high"
    params = {
        "dose": f.glucocorticoid_dose_mg,
        "band": view.gc_band,
        "major_change": GC_HIGH_MAJOR_CHANGE.value if high else -GC_LOW_MAJOR_CHANGE.value,
        "hip_change": GC_HIGH_HIP_CHANGE.value if high else -GC_LOW_HIP_CHANGE.value,
        "major_raw": view.major_raw,
        "hip_raw": view.hip_raw,
        "major": _gc_only(view.major_raw, GC_HIGH_MAJOR_CHANGE.value if high else GC_LOW_MAJOR_CHANGE.value),
        "hip": _gc_only(view.hip_raw, GC_HIGH_HIP_CHANGE.value if high else GC_LOW_HIP_CHANGE.value),
    }
    return Finding(
        result=f"glucocorticoid {view.gc_band} dose: FRAX adjusted",
        used=["glucocorticoids", "glucocorticoid_dose_mg", "frax"],
        threshold=f"< {GC_LOW_DOSE_BELOW} mg/day lower "
        f"(major {GC_LOW_MAJOR_CHANGE.value}%, hip {GC_LOW_HIP_CHANGE.value}%); "
        f"> {GC_HIGH_DOSE_ABOVE} mg/day raise "
        f"(major +{GC_HIGH_MAJOR_CHANGE.value}%, hip +{GC_HIGH_HIP_CHANGE.value}%)",
        recommendations=[
            Recommendation(
                id="risk-frax-gc-adjust",
                section=Section.RISK,
                statement="risk-frax-gc-adjust",
                params=params,
                citations=GC_ADJUST_CITES,
            )
        ],
    )


def _gc_only(value: float | None, change: int) -> float | None:
    return round(value * (100 + change) / 100, 1) if value is not None else None


@rule("risk-frax-spine-offset", topic="risk", cites=SPINE_CITES)
def frax_spine_offset(f: Facts, a: Assessment) -> Finding | None:
    """Leslie 2011: spine much lower (or higher) than femoral neck moves the major FRAX by a tenth per unit."""
    view = a.derived.frax
    if view is None or view.spine_units == 0 or view.major_raw is None:
        return None
    before = (
        _gc_only(view.major_raw, 0)
        if view.gc_band is None
        else _gc_only(
            view.major_raw, GC_HIGH_MAJOR_CHANGE.value if view.gc_band == "high" else GC_LOW_MAJOR_CHANGE.value
        )
    )
    return Finding(
        result=f"spine {abs(view.spine_units)} unit(s) {'below' if view.spine_units > 0 else 'above'} "
        f"femoral neck: major FRAX {before} -> {view.major}",
        used=["t_scores.lumbar_spine", "t_scores.femoral_neck", "frax.major"],
        threshold="one tenth of the major probability per rounded T-score unit",
        recommendations=[
            Recommendation(
                id="risk-frax-spine-offset",
                section=Section.RISK,
                statement="risk-frax-spine-offset",
                params={
                    "ls": f.t_scores[Site.LUMBAR_SPINE],
                    "fn": f.t_scores[Site.FEMORAL_NECK],
                    "units": abs(view.spine_units),
                    "lower": view.spine_units > 0,
                    "change": SPINE_OFFSET_PER_UNIT.value * abs(view.spine_units),
                    "before": before,
                    "after": view.major,
                },
                citations=SPINE_CITES,
            )
        ],
    )


@rule("risk-frax-type2-diabetes", topic="risk", cites=T2D_CITES)
def frax_t2d(f: Facts, a: Assessment) -> Finding | None:
    """Type 2 diabetes: FRAX underestimates risk; describe the four published corrections (not computed)."""
    if not f.has("type2_diabetes") or a.derived.uses_z_scores:
        return None
    return Finding(
        result="type 2 diabetes: FRAX underestimates risk; corrections described, not applied",
        used=["conditions.type2_diabetes"],
        recommendations=[
            Recommendation(
                id="risk-frax-t2d",
                section=Section.RISK,
                statement="risk-frax-t2d",
                params={"frax_given": f.frax is not None},
                citations=T2D_CITES,
            )
        ],
    )


@rule("risk-frax-on-treatment", topic="risk", cites=["bhof-2022#frax-use"])
def frax_on_treatment(f: Facts, a: Assessment) -> Finding | None:
    """FRAX is for untreated patients: flag a FRAX given while an osteoporosis drug is being taken."""
    if f.frax is None or not f.current_drugs():
        return None
    return Finding(
        result="FRAX given while on treatment: not validated for treated patients",
        used=["frax", "medications"],
        recommendations=[
            Recommendation(
                id="risk-frax-on-treatment",
                section=Section.RISK,
                statement="risk-frax-on-treatment",
                params={"drugs": f.current_drugs()},
                citations=["bhof-2022#frax-use"],
            )
        ],
    )


@rule("risk-frax-no-threshold-acp", cites=[ACP_OSTEOPENIA])
def frax_no_threshold(f: Facts, a: Assessment) -> Finding | None:
    """ACP profile: FRAX was given, but ACP sets no FRAX treatment threshold."""
    view = a.derived.frax
    if view is None or not a.in_scope or a.derived.uses_z_scores or profile_of(a).decision.frax is not None:
        return None
    return Finding(
        result="FRAX given; ACP sets no FRAX threshold",
        used=["frax"],
        recommendations=[
            Recommendation(
                id="risk-frax-no-threshold",
                section=Section.RISK,
                statement="risk-frax-no-threshold-acp",
                params={"major": view.major, "hip": view.hip, "adjusted": view.adjusted},
                citations=[ACP_OSTEOPENIA],
            )
        ],
    )


@rule("risk-frax-vs-thresholds", cites=[WHO_TO_TREAT])
def frax_vs_thresholds(f: Facts, a: Assessment) -> Finding | None:
    """Show the given FRAX against the thresholds in the risk section whenever FRAX was given."""
    major_t, hip_t = frax_thresholds(a.profile)
    view = a.derived.frax
    if view is None or not a.in_scope or a.derived.uses_z_scores or profile_of(a).decision.frax is None:
        return None
    return Finding(
        result=f"FRAX major {view.major} vs {major_t}, hip {view.hip} vs {hip_t}",
        used=["frax"],
        threshold=f"FRAX major >= {major_t} or hip >= {hip_t}",
        recommendations=[
            Recommendation(
                id="risk-frax-vs-thresholds",
                section=Section.RISK,
                statement="risk-frax-vs-thresholds",
                params={
                    **frax_params(view, a.profile),
                    "over": frax_over(view, a.profile),
                    "low_mass": a.classification.category == Category.OSTEOPENIA,
                },
                citations=[WHO_TO_TREAT],
            )
        ],
    )


@rule("risk-frax-raw-and-adjusted")
def frax_raw_and_adjusted(f: Facts, a: Assessment) -> Finding | None:
    """FRAX adjusted for glucocorticoid dose or spine-hip offset: which of the profile's thresholds the value as
    given and the adjusted value each reach (every profile; ACP has no FRAX threshold)."""
    view = a.derived.frax
    if view is None or not view.adjusted or not a.in_scope:
        return None
    p = profile_of(a)
    t = p.decision.frax

    def over(major: float | None, hip: float | None) -> bool:
        return t is not None and ((major is not None and major >= t.major) or (hip is not None and hip >= t.hip))

    aace_vhr = p.very_high_risk.scheme == "aace"
    params = {
        "name": p.name,
        "major_raw": view.major_raw,
        "hip_raw": view.hip_raw,
        "major": view.major,
        "hip": view.hip,
        "threshold_major": t.major if t else None,
        "threshold_hip": t.hip if t else None,
        "raw_over": over(view.major_raw, view.hip_raw),
        "adjusted_over": over(view.major, view.hip),
        "vhr": aace_vhr,
        "vhr_major": VERY_HIGH_FRAX_MAJOR_ABOVE.value,
        "vhr_hip": VERY_HIGH_FRAX_HIP_ABOVE.value,
    }
    cites = banner_cites(p)  # the profile's own passages (its name and thresholds), with its very-high-risk list
    cites += GC_ADJUST_CITES if view.gc_band else []
    cites += SPINE_CITES if view.spine_units else []
    return Finding(
        result=f"FRAX as given vs adjusted against the {p.id} thresholds",
        used=["frax", "glucocorticoid_dose_mg", "t_scores"],
        recommendations=[
            Recommendation(
                id="risk-frax-raw-and-adjusted",
                section=Section.RISK,
                statement="risk-frax-raw-and-adjusted",
                params=params,
                citations=cites,
            )
        ],
    )
