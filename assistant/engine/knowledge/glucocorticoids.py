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
    placed = acr_placement(f, dose_counts=dose_counts)
    return placed[0] if placed else None


def acr_placement(f: Facts, *, dose_counts: bool = True) -> tuple[str, list[str]] | None:
    """ACR 2022 risk stratum for adults 40 and over, with the facts that place the patient there, in words
    ("a T-score of -2.1", "glucocorticoid-adjusted FRAX major 23%"): only what was given is named."""
    if f.age is not None and f.age < GC_FRAX_AGE.value:
        return None
    view = adjusted_frax(f)
    major = view.major if view else None
    hip = view.hip if view else None
    frax = "glucocorticoid-adjusted FRAX" if view is not None and view.gc_band is not None else "FRAX"
    low = f.lowest_t()
    t = low[0] if low else None
    dose = f.glucocorticoid_dose_mg

    def met(
        t_limit: float | None, major_limit: float | None, hip_limit: float | None, *, hip_above: bool = False
    ) -> list[str]:
        out: list[str] = []
        if t is not None and t_limit is not None and t <= t_limit:
            out.append(f"a T-score of {t:g}")
        scores: list[str] = []
        if major is not None and major_limit is not None and major >= major_limit:
            scores.append(f"major {major:g}%")
        if hip is not None and hip_limit is not None and (hip > hip_limit if hip_above else hip >= hip_limit):
            scores.append(f"hip {hip:g}%")
        if scores:
            out.append(f"{frax} " + ", ".join(scores))
        return out

    very_high = met(GC_VERY_HIGH_T.value, GC_VERY_HIGH_MAJOR.value, GC_VERY_HIGH_HIP.value)
    if has_fragility_fracture(f):
        very_high.insert(0, "a prior osteoporotic fracture")
    if dose_counts and dose is not None and dose >= GC_VERY_HIGH_DOSE.value:
        very_high.append(f"prednisone {dose:g} mg a day")
    if very_high:
        return "very high", very_high
    high = met(GC_HIGH_T.value, GC_HIGH_MAJOR.value, GC_HIGH_HIP.value)
    if high:
        return "high", high
    moderate = met(GC_MODERATE_T.value, GC_MODERATE_MAJOR.value, GC_LOW_HIP_MAX.value, hip_above=True)
    if moderate:
        return "moderate", moderate
    if t is not None and major is not None and hip is not None:
        return "low", [f"a T-score of {t:g}", f"{frax} major {major:g}%, hip {hip:g}%"]
    return None


def gc_stratum(f: Facts) -> tuple[str, list[str], bool] | None:
    """ACR 2022 stratum of a glucocorticoid user at any age: (stratum, the facts that place the patient there in
    words, duration assumed), or None."""
    if f.glucocorticoids is not True:
        return None
    dose = f.glucocorticoid_dose_mg
    months = f.glucocorticoid_months
    high_dose = dose is not None and dose >= GC_VERY_HIGH_DOSE.value
    long_enough = months is None or months * DAYS_PER_MONTH > GC_VERY_HIGH_DAYS.value
    if has_fragility_fracture(f):
        return "very high", ["a prior osteoporotic fracture"], False
    if high_dose and long_enough:
        return "very high", [f"prednisone {dose:g} mg a day"], months is None
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
            why = f"prednisone {dose:g} mg a day for {months:g} months and a Z-score of {low_z[0]:g}"
            return "moderate", [why], False
        return None
    placed = acr_placement(f, dose_counts=long_enough)
    if placed is None:
        return None
    return placed[0], placed[1], False
