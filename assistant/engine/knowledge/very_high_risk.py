"""Very high fracture risk: the AACE/ACE 2020 list and the Endocrine Society 2020 description, as criteria
met by the facts (name -> value; the wording is in the statement templates)."""

from __future__ import annotations

from assistant.engine.knowledge.bmd import uses_z_scores
from assistant.engine.knowledge.fractures import fracture_sites, has_fragility_fracture
from assistant.engine.knowledge.frax import FraxView
from assistant.engine.knowledge.thresholds import threshold
from assistant.facts import Facts, FractureSite

# AACE/ACE 2020 very high risk (aace-2020#very-high-risk-list; list from secondary summaries).
VERY_HIGH_RECENT_FRACTURE_MONTHS = threshold("aace-very-high-recent-fracture-months")  # the trace names it
VERY_HIGH_T_BELOW = threshold("aace-very-high-t")
VERY_HIGH_FRAX_MAJOR_ABOVE = threshold("aace-very-high-frax-major")
VERY_HIGH_FRAX_HIP_ABOVE = threshold("aace-very-high-frax-hip")
# Endocrine Society 2020 very high risk (endo-2020#romosozumab): T-score below -2.5 with fractures, or
# multiple vertebral fractures.
ENDO_VERY_HIGH_T_BELOW = threshold("endocrine-very-high-t")


def very_high_risk_reasons(f: Facts, view: FraxView | None) -> dict[str, object]:
    """AACE/ACE very-high-risk criteria met by the facts (name -> value; the wording is in the template)."""
    reasons: dict[str, object] = {}
    sites = fracture_sites(f)
    if f.has("recent_fracture"):
        reasons["recent_fracture"] = True
    if f.has("fracture_on_therapy"):
        reasons["fracture_on_therapy"] = True
    if f.has("multiple_fractures") or len(set(sites)) >= 2:
        reasons["multiple_fractures"] = True
    if f.glucocorticoids is True and has_fragility_fracture(f):
        reasons["fracture_on_glucocorticoids"] = True
    low = f.lowest_t()
    if low is not None and low[0] < VERY_HIGH_T_BELOW.value and not uses_z_scores(f):
        reasons["t"] = low[0]
    if f.has("falls"):
        reasons["falls"] = True
    if view is not None and view.major is not None and view.major > VERY_HIGH_FRAX_MAJOR_ABOVE.value:
        reasons["major"] = view.major
    if view is not None and view.hip is not None and view.hip > VERY_HIGH_FRAX_HIP_ABOVE.value:
        reasons["hip"] = view.hip
    return reasons


def endocrine_very_high_reasons(f: Facts) -> dict[str, object]:
    """Endocrine Society 2020 very-high-risk examples met by the facts: a T-score below -2.5 with a fragility
    fracture (severe osteoporosis), or multiple vertebral fractures."""
    reasons: dict[str, object] = {}
    low = f.lowest_t()
    if low is not None and low[0] < ENDO_VERY_HIGH_T_BELOW.value and has_fragility_fracture(f) and not uses_z_scores(f):
        reasons["severe"] = low[0]
    if FractureSite.VERTEBRAL in fracture_sites(f) and f.has("multiple_fractures"):
        reasons["multiple_vertebral"] = True
    return reasons
