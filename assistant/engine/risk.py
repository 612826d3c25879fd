"""Fracture risk: which FRAX inputs are known or missing, and the published FRAX adjustments
(glucocorticoid dose, spine-hip discordance, type 2 diabetes). FRAX itself is never computed:
its equations are not public, so the engine applies thresholds to the values the user gives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from assistant.engine.model import Assessment, Category, Finding, Section, finding, recommendation, rule
from assistant.facts import Facts, Site

# Kanis 2011 glucocorticoid dose adjustment, averaged over ages (kanis-gc-2011#dose-adjustment).
GC_LOW_DOSE_BELOW = 2.5  # mg/day prednisolone-equivalent: below this, lower the probabilities
GC_HIGH_DOSE_ABOVE = 7.5  # mg/day: above this, raise them (abstract "> 7.5"; ACR practice the same)
GC_LOW_MAJOR_CHANGE = -20  # % change to major osteoporotic fracture probability, low dose
GC_LOW_HIP_CHANGE = -35  # % change to hip fracture probability, low dose
GC_HIGH_MAJOR_CHANGE = 15  # % (x 1.15), high dose
GC_HIGH_HIP_CHANGE = 20  # % (x 1.2), high dose
# Leslie 2011: one tenth of the major probability per rounded T-score unit of spine-hip difference.
SPINE_OFFSET_PER_UNIT = 10  # % (leslie-2011#spine-hip-offset)

FRAX_CITES = ["frax-web#inputs"]
GC_ADJUST_CITES = ["kanis-gc-2011#dose-adjustment"]
SPINE_CITES = ["leslie-2011#spine-hip-offset"]
T2D_CITES = ["leslie-2018-t2d#options"]


@dataclass
class FraxView:
    """FRAX as given, and after the adjustments the facts call for (rounded to one decimal)."""

    major_raw: float | None
    hip_raw: float | None
    major: float | None
    hip: float | None
    gc_band: str | None = None  # "low" | "high" when a glucocorticoid dose adjustment applied
    spine_units: int = 0  # rounded T-score units the spine is below (+) or above (-) the femoral neck
    notes: list[str] = field(default_factory=list)

    @property
    def adjusted(self) -> bool:
        return self.major != self.major_raw or self.hip != self.hip_raw


# Enum members the rules read, bound once: a read through the enum class costs about 100 ns.
_OSTEOPENIA = Category.OSTEOPENIA
_RISK = Section.RISK
_LUMBAR_SPINE = Site.LUMBAR_SPINE
_FEMORAL_NECK = Site.FEMORAL_NECK


def _round_half_up(x: float) -> int:
    x = round(x, 6)
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def gc_band(f: Facts) -> str | None:
    if f.glucocorticoids is not True or f.glucocorticoid_dose_mg is None:
        return None
    if f.glucocorticoid_dose_mg < GC_LOW_DOSE_BELOW:
        return "low"
    if f.glucocorticoid_dose_mg > GC_HIGH_DOSE_ABOVE:
        return "high"
    return None


def spine_units(f: Facts) -> int:
    ls, fn = f.t_scores.get(_LUMBAR_SPINE), f.t_scores.get(_FEMORAL_NECK)
    if ls is None or fn is None:
        return 0
    return _round_half_up(fn - ls)


def adjusted_frax(f: Facts) -> FraxView | None:
    """The FRAX values to compare with thresholds: as given, adjusted where a published rule applies."""
    if f.frax is None or (f.frax.major is None and f.frax.hip is None):
        return None
    major, hip = f.frax.major, f.frax.hip
    band = gc_band(f)
    if band is not None:
        dm, dh = (
            (GC_LOW_MAJOR_CHANGE, GC_LOW_HIP_CHANGE) if band == "low" else (GC_HIGH_MAJOR_CHANGE, GC_HIGH_HIP_CHANGE)
        )
        major = major * (100 + dm) / 100 if major is not None else None
        hip = hip * (100 + dh) / 100 if hip is not None else None
    units = spine_units(f) if major is not None else 0
    if units:
        major = major * (100 + SPINE_OFFSET_PER_UNIT * units) / 100  # type: ignore[operator]
    return FraxView(
        major_raw=f.frax.major,
        hip_raw=f.frax.hip,
        major=round(major, 1) if major is not None else None,
        hip=round(hip, 1) if hip is not None else None,
        gc_band=band,
        spine_units=units,
    )


# FRAX inputs, most decisive first (fact names; the wording is in prompts/statements/risk.yaml).
FRAX_INPUTS: tuple[str, ...] = (
    "age",
    "sex",
    "prior_fragility_fracture",
    "femoral_neck_bmd",
    "glucocorticoids",
    "parental_hip_fracture",
    "smoking",
    "rheumatoid_arthritis",
    "alcohol_excess",
    "weight_kg",
    "height_cm",
    "secondary_osteoporosis",
)
# The missing-fact name to ask for, when it differs from the input name.
_ASK_FOR = {"femoral_neck_bmd": "t_scores"}
SECONDARY_CAUSES = ("type1_diabetes", "malabsorption", "hyperparathyroidism")


def _input_values(f: Facts) -> dict[str, object]:
    """The value of each FRAX input (by name), None when not given."""
    secondary = None
    for c in SECONDARY_CAUSES:
        if f.has(c):
            secondary = True
            break
    return {
        "age": f.age,
        "sex": f.sex.value if f.sex else ("female" if f.menopause else None),
        "prior_fragility_fracture": f.prior_fragility_fracture,
        "femoral_neck_bmd": f.t_scores.get(_FEMORAL_NECK),
        "glucocorticoids": f.glucocorticoids,
        "parental_hip_fracture": f.condition("parental_hip_fracture"),
        "smoking": f.condition("smoking"),
        "rheumatoid_arthritis": f.condition("rheumatoid_arthritis"),
        "alcohol_excess": f.condition("alcohol_excess"),
        "weight_kg": f.weight_kg,
        "height_cm": f.height_cm,
        "secondary_osteoporosis": secondary,
    }


def frax_inputs(f: Facts) -> tuple[dict[str, object], list[str], list[str]]:
    """(known inputs name -> value, missing input names, missing fact names) for a FRAX estimate."""
    known: dict[str, object] = {}
    missing: list[str] = []
    values = _input_values(f)
    for name in FRAX_INPUTS:
        value = values[name]
        if value is None:
            missing.append(name)
        else:
            known[name] = value
    return known, missing, [_ASK_FOR.get(m, m) for m in missing]


def frax_relevant(f: Facts, a: Assessment) -> bool:
    """FRAX decides treatment for low bone mass, or where no bone density has been given yet."""
    if a.derived.uses_z_scores:
        return False
    cat = a.classification.category
    return cat == _OSTEOPENIA or (cat is None and a.derived.lowest_t is None)


@rule("risk-frax-inputs", topic="risk", cites=FRAX_CITES)
def frax_input_list(f: Facts, a: Assessment) -> Finding | None:
    """No FRAX yet, and it would decide: list the inputs known and still missing."""
    if f.frax is not None and (f.frax.major is not None or f.frax.hip is not None):
        return None
    if not frax_relevant(f, a):
        return None
    known, missing, _ = frax_inputs(f)
    return finding(
        result=f"FRAX not given: {len(known)} inputs known, {len(missing)} missing",
        used=["age", "sex", "prior_fragility_fracture", "t_scores", "glucocorticoids", "conditions"],
        recommendations=[
            recommendation(
                id="risk-frax-inputs",
                section=_RISK,
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
        "major_change": GC_HIGH_MAJOR_CHANGE if high else -GC_LOW_MAJOR_CHANGE,
        "hip_change": GC_HIGH_HIP_CHANGE if high else -GC_LOW_HIP_CHANGE,
        "major_raw": view.major_raw,
        "hip_raw": view.hip_raw,
        "major": _gc_only(view.major_raw, GC_HIGH_MAJOR_CHANGE if high else GC_LOW_MAJOR_CHANGE),
        "hip": _gc_only(view.hip_raw, GC_HIGH_HIP_CHANGE if high else GC_LOW_HIP_CHANGE),
    }
    return finding(
        result=f"glucocorticoid {view.gc_band} dose: FRAX adjusted",
        used=["glucocorticoids", "glucocorticoid_dose_mg", "frax"],
        threshold="< 2.5 mg/day lower (major -20%, hip -35%); > 7.5 mg/day raise (major +15%, hip +20%)",
        recommendations=[
            recommendation(
                id="risk-frax-gc-adjust",
                section=_RISK,
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
        else _gc_only(view.major_raw, GC_HIGH_MAJOR_CHANGE if view.gc_band == "high" else GC_LOW_MAJOR_CHANGE)
    )
    return finding(
        result=f"spine {abs(view.spine_units)} unit(s) {'below' if view.spine_units > 0 else 'above'} "
        f"femoral neck: major FRAX {before} -> {view.major}",
        used=["t_scores.lumbar_spine", "t_scores.femoral_neck", "frax.major"],
        threshold="one tenth of the major probability per rounded T-score unit",
        recommendations=[
            recommendation(
                id="risk-frax-spine-offset",
                section=_RISK,
                statement="risk-frax-spine-offset",
                params={
                    "ls": f.t_scores[_LUMBAR_SPINE],
                    "fn": f.t_scores[_FEMORAL_NECK],
                    "units": abs(view.spine_units),
                    "lower": view.spine_units > 0,
                    "change": SPINE_OFFSET_PER_UNIT * abs(view.spine_units),
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
    return finding(
        result="type 2 diabetes: FRAX underestimates risk; corrections described, not applied",
        used=["conditions.type2_diabetes"],
        recommendations=[
            recommendation(
                id="risk-frax-t2d",
                section=_RISK,
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
    return finding(
        result="FRAX given while on treatment: not validated for treated patients",
        used=["frax", "medications"],
        recommendations=[
            recommendation(
                id="risk-frax-on-treatment",
                section=_RISK,
                statement="risk-frax-on-treatment",
                params={"drugs": f.current_drugs()},
                citations=["bhof-2022#frax-use"],
            )
        ],
    )


__all__ = ["FraxView", "adjusted_frax", "frax_inputs", "frax_relevant"]
