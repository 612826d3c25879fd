"""FRAX: its inputs (known and missing), and the published adjustments to the probabilities the user gives
(glucocorticoid dose, spine-hip discordance). FRAX itself is never computed: its equations are not public.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

from assistant.engine.knowledge.thresholds import Threshold, threshold
from assistant.facts import Facts, Site

# Kanis 2011 glucocorticoid dose adjustment, averaged over ages (kanis-gc-2011#dose-adjustment).
GC_LOW_DOSE_BELOW = threshold("gc-frax-low-dose")
GC_HIGH_DOSE_ABOVE = threshold("gc-frax-high-dose")
GC_LOW_MAJOR_CHANGE = threshold("gc-frax-low-major-change")
GC_LOW_HIP_CHANGE = threshold("gc-frax-low-hip-change")
GC_HIGH_MAJOR_CHANGE = threshold("gc-frax-high-major-change")
GC_HIGH_HIP_CHANGE = threshold("gc-frax-high-hip-change")
# Leslie 2011: one tenth of the major probability per rounded T-score unit of spine-hip difference.
SPINE_OFFSET_PER_UNIT = threshold("frax-spine-offset-per-unit")

FRAX_CITES = ["frax-web#inputs"]
GC_ADJUST_CITES = ["kanis-gc-2011#dose-adjustment"]
SPINE_CITES = ["leslie-2011#spine-hip-offset"]
T2D_CITES = ["leslie-2018-t2d#options"]


@dataclass
class FraxView:
    """FRAX as given, and after the adjustments the facts call for (an adjusted value is rounded to one decimal)."""

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


def _round_half_up(x: float) -> int:
    x = round(x, 6)
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def gc_band(f: Facts) -> str | None:
    if f.glucocorticoids is not True or f.glucocorticoid_dose_mg is None:
        return None
    if f.glucocorticoid_dose_mg < GC_LOW_DOSE_BELOW.value:
        return "low"
    if f.glucocorticoid_dose_mg > GC_HIGH_DOSE_ABOVE.value:
        return "high"
    return None


def spine_units(f: Facts) -> int:
    ls, fn = f.t_scores.get(Site.LUMBAR_SPINE), f.t_scores.get(Site.FEMORAL_NECK)
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
            (GC_LOW_MAJOR_CHANGE.value, GC_LOW_HIP_CHANGE.value)
            if band == "low"
            else (GC_HIGH_MAJOR_CHANGE.value, GC_HIGH_HIP_CHANGE.value)
        )
        major = major * (100 + dm) / 100 if major is not None else None
        hip = hip * (100 + dh) / 100 if hip is not None else None
    units = spine_units(f) if major is not None else 0
    if units:
        major = major * (100 + SPINE_OFFSET_PER_UNIT.value * units) / 100  # type: ignore[operator]
    if band is None and not units:  # nothing to adjust: the values as given, never rounded across a threshold
        return FraxView(major_raw=major, hip_raw=hip, major=major, hip=hip)
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
SECONDARY_CAUSES = ("type1_diabetes", "malabsorption", "hyperparathyroidism", "bariatric_surgery")


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
        "femoral_neck_bmd": f.t_scores.get(Site.FEMORAL_NECK),
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


@cache
def frax_thresholds(profile: str) -> tuple[Threshold, Threshold]:
    """The treatment thresholds for low bone mass, FRAX major and hip (the profile's own when it has them)."""
    return threshold("frax-major-treat", profile), threshold("frax-hip-treat", profile)


def frax_params(view: FraxView, profile: str) -> dict:
    """FRAX as given and as adjusted, with the profile's thresholds: the parameters of the statements that show them."""
    major_t, hip_t = frax_thresholds(profile)
    return {
        "major": view.major,
        "hip": view.hip,
        "major_raw": view.major_raw,
        "hip_raw": view.hip_raw,
        "major_threshold": major_t.value,
        "hip_threshold": hip_t.value,
    }


def frax_over(view: FraxView, profile: str) -> bool:
    """The (adjusted) FRAX reaches the profile's major or hip treatment threshold."""
    major_t, hip_t = frax_thresholds(profile)
    return (view.major is not None and view.major >= major_t.value) or (
        view.hip is not None and view.hip >= hip_t.value
    )
