"""ACR 2022 glucocorticoid-induced osteoporosis risk strata (table from a secondary summary; the numbers in
corpus/thresholds.yaml). Shared by the special-groups statement and the situations topic, so the headline
and the body place the patient in the same stratum (issue 16)."""

from __future__ import annotations

from assistant.engine.knowledge.fractures import has_fragility_fracture
from assistant.engine.knowledge.frax import adjusted_frax
from assistant.engine.knowledge.thresholds import threshold
from assistant.facts import Facts

# ACR 2022 (acr-2022#assessment): assess fracture risk for this dose or more, taken for longer than this.
GC_ASSESS_DOSE = threshold("gc-acr-assess-dose")
GC_ASSESS_MONTHS = threshold("gc-acr-assess-months")
GC_FRAX_AGE = threshold("gc-frax-age")  # FRAX used from this age; DXA with vertebral imaging below it
GC_VERY_HIGH_DOSE = threshold("acr-very-high-gc-dose")  # mg/day prednisone; FRAX underestimates risk
GC_VERY_HIGH_DAYS = threshold("gc-acr-very-high-days")  # ... taken for more than this many days
GC_VERY_HIGH_T = threshold("acr-very-high-t")
GC_VERY_HIGH_MAJOR = threshold("acr-very-high-frax-major")
GC_VERY_HIGH_HIP = threshold("acr-very-high-frax-hip")
GC_HIGH_T = threshold("acr-high-t")
GC_HIGH_MAJOR = threshold("acr-high-frax-major")
GC_HIGH_HIP = threshold("acr-high-frax-hip")
GC_MODERATE_T = threshold("acr-moderate-t")
GC_MODERATE_MAJOR = threshold("acr-moderate-frax-major")
GC_LOW_HIP_MAX = threshold("acr-low-frax-hip-max")  # hip above this is moderate
GC_YOUNG_DOSE = threshold("gc-acr-moderate-young-dose")
GC_YOUNG_MONTHS = threshold("gc-acr-moderate-young-months")
GC_YOUNG_Z = threshold("gc-acr-moderate-young-z")
DAYS_PER_MONTH = 365.25 / 12  # a unit conversion, not a clinical number


def acr_stratum(f: Facts, *, dose_counts: bool = True) -> str | None:
    """ACR 2022 risk stratum for adults 40 and over. `dose_counts` False: a dose of 30 mg or more does not
    count (taken for 30 days or less)."""
    if f.age is not None and f.age < GC_FRAX_AGE.value:
        return None
    view = adjusted_frax(f)
    major = view.major if view else None
    hip = view.hip if view else None
    low = f.lowest_t()
    t = low[0] if low else None
    dose = f.glucocorticoid_dose_mg
    if (
        has_fragility_fracture(f)
        or (t is not None and t <= GC_VERY_HIGH_T.value)
        or (major is not None and major >= GC_VERY_HIGH_MAJOR.value)
        or (hip is not None and hip >= GC_VERY_HIGH_HIP.value)
        or (dose_counts and dose is not None and dose >= GC_VERY_HIGH_DOSE.value)
    ):
        return "very high"
    if (
        (t is not None and t <= GC_HIGH_T.value)
        or (major is not None and major >= GC_HIGH_MAJOR.value)
        or (hip is not None and hip >= GC_HIGH_HIP.value)
    ):
        return "high"
    if (
        (t is not None and t <= GC_MODERATE_T.value)
        or (major is not None and major >= GC_MODERATE_MAJOR.value)
        or (hip is not None and hip > GC_LOW_HIP_MAX.value)
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
    high_dose = dose is not None and dose >= GC_VERY_HIGH_DOSE.value
    long_enough = months is None or months * DAYS_PER_MONTH > GC_VERY_HIGH_DAYS.value
    if has_fragility_fracture(f):
        return "very high", "a prior osteoporotic fracture", False
    if high_dose and long_enough:
        return "very high", f"prednisone {dose:g} mg a day", months is None
    if f.age is not None and f.age < GC_FRAX_AGE.value:
        low_z = f.lowest_z()
        if (
            dose is not None
            and dose >= GC_YOUNG_DOSE.value
            and months is not None
            and months >= GC_YOUNG_MONTHS.value
            and low_z is not None
            and low_z[0] < GC_YOUNG_Z.value
        ):
            why = f"prednisone {dose:g} mg a day for {months:g} months with a Z-score of {low_z[0]:g}"
            return "moderate", why, False
        return None
    stratum = acr_stratum(f, dose_counts=long_enough)
    if stratum is None:
        return None
    return stratum, "the bone density and glucocorticoid-adjusted FRAX given", False
