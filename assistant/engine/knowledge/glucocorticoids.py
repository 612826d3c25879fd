"""ACR 2022 glucocorticoid-induced osteoporosis risk strata (table from a secondary summary; the numbers in
corpus/thresholds.yaml). Shared by the special-groups statement and the situations topic, so the headline
and the body place the patient in the same stratum (issue 16)."""

from __future__ import annotations

from assistant.engine.knowledge.fractures import has_fragility_fracture
from assistant.engine.knowledge.frax import adjusted_frax
from assistant.engine.knowledge.thresholds import threshold
from assistant.facts import Facts

GC_FRAX_AGE = threshold("gc-acr-frax-age").value  # FRAX used from this age; DXA with vertebral imaging below it
GC_VERY_HIGH_DOSE = threshold("gc-acr-very-high-dose").value  # mg/day prednisone; FRAX underestimates risk
GC_VERY_HIGH_DAYS = threshold("gc-acr-very-high-days").value  # ... taken for more than this many days
GC_VERY_HIGH_T = threshold("gc-acr-very-high-t").value
GC_VERY_HIGH_MAJOR = threshold("gc-acr-very-high-major").value
GC_VERY_HIGH_HIP = threshold("gc-acr-very-high-hip").value
GC_HIGH_T = threshold("gc-acr-high-t").value
GC_HIGH_MAJOR = threshold("gc-acr-high-major").value
GC_HIGH_HIP = threshold("gc-acr-high-hip").value
GC_MODERATE_T = threshold("gc-acr-moderate-t").value
GC_MODERATE_MAJOR = threshold("gc-acr-moderate-major").value
GC_LOW_HIP_MAX = threshold("gc-acr-moderate-hip").value  # hip above this is moderate
GC_YOUNG_DOSE = threshold("gc-acr-moderate-young-dose").value
GC_YOUNG_MONTHS = threshold("gc-acr-moderate-young-months").value
GC_YOUNG_Z = threshold("gc-acr-moderate-young-z").value
DAYS_PER_MONTH = 365.25 / 12  # a unit conversion, not a clinical number


def acr_stratum(f: Facts, *, dose_counts: bool = True) -> str | None:
    """ACR 2022 risk stratum for adults 40 and over. `dose_counts` False: a dose of 30 mg or more does not
    count (taken for 30 days or less)."""
    if f.age is not None and f.age < GC_FRAX_AGE:
        return None
    view = adjusted_frax(f)
    major = view.major if view else None
    hip = view.hip if view else None
    low = f.lowest_t()
    t = low[0] if low else None
    dose = f.glucocorticoid_dose_mg
    if (
        has_fragility_fracture(f)
        or (t is not None and t <= GC_VERY_HIGH_T)
        or (major is not None and major >= GC_VERY_HIGH_MAJOR)
        or (hip is not None and hip >= GC_VERY_HIGH_HIP)
        or (dose_counts and dose is not None and dose >= GC_VERY_HIGH_DOSE)
    ):
        return "very high"
    if (
        (t is not None and t <= GC_HIGH_T)
        or (major is not None and major >= GC_HIGH_MAJOR)
        or (hip is not None and hip >= GC_HIGH_HIP)
    ):
        return "high"
    if (
        (t is not None and t <= GC_MODERATE_T)
        or (major is not None and major >= GC_MODERATE_MAJOR)
        or (hip is not None and hip > GC_LOW_HIP_MAX)
    ):
        return "moderate"
    if t is not None and major is not None and hip is not None:
        return "low"
    return None


def gc_stratum(f: Facts) -> tuple[str, str, bool] | None:
    """ACR 2022 stratum of a glucocorticoid user at any age: (stratum, reason, duration assumed), or None."""
    if f.glucocorticoids is not True:
        return None
    dose = f.glucocorticoid_dose_mg
    months = f.glucocorticoid_months
    high_dose = dose is not None and dose >= GC_VERY_HIGH_DOSE
    long_enough = months is None or months * DAYS_PER_MONTH > GC_VERY_HIGH_DAYS
    if has_fragility_fracture(f):
        return "very high", "a prior osteoporotic fracture", False
    if high_dose and long_enough:
        return "very high", f"prednisone {dose:g} mg a day", months is None
    if f.age is not None and f.age < GC_FRAX_AGE:
        low_z = f.lowest_z()
        if (
            dose is not None
            and dose >= GC_YOUNG_DOSE
            and months is not None
            and months >= GC_YOUNG_MONTHS
            and low_z is not None
            and low_z[0] < GC_YOUNG_Z
        ):
            why = f"prednisone {dose:g} mg a day for {months:g} months with a Z-score of {low_z[0]:g}"
            return "moderate", why, False
        return None
    stratum = acr_stratum(f, dose_counts=long_enough)
    if stratum is None:
        return None
    return stratum, "the bone density and glucocorticoid-adjusted FRAX given", False
