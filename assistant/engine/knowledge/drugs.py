"""Osteoporosis drugs: their names, classes, label doses and kidney limits, and which the patient takes."""

from __future__ import annotations

from assistant.engine.knowledge.thresholds import threshold
from assistant.engine.model import Assessment, Decision
from assistant.facts import Facts, Intent

# Doses (labels).
ALENDRONATE_WEEKLY_MG = threshold("alendronate-weekly-dose")
RISEDRONATE_WEEKLY_MG = threshold("risedronate-weekly-dose")
IBANDRONATE_MONTHLY_MG = threshold("ibandronate-monthly-dose")
ZOLEDRONIC_ACID_YEARLY_MG = threshold("zoledronic-acid-yearly-dose")
DENOSUMAB_MG = threshold("denosumab-dose")
DENOSUMAB_EVERY_MONTHS = threshold("denosumab-interval")
TERIPARATIDE_DAILY_MCG = threshold("teriparatide-daily-dose")
ABALOPARATIDE_DAILY_MCG = threshold("abaloparatide-daily-dose")
ROMOSOZUMAB_MONTHLY_MG = threshold("romosozumab-monthly-dose")
ROMOSOZUMAB_DOSES = threshold("romosozumab-doses")
RALOXIFENE_DAILY_MG = threshold("raloxifene-daily-dose")
UPRIGHT_MINUTES = threshold("oral-bisphosphonate-upright")
WATER_ML = threshold("oral-bisphosphonate-water")

# Kidney limits, creatinine clearance mL/min, below which the label says not recommended / contraindicated.
RENAL_CUTOFF: dict[str, float] = {
    drug: threshold(f"{drug.replace('_', '-')}-min-crcl").value
    for drug in ("alendronate", "risedronate", "ibandronate", "zoledronic_acid")
}
# Denosumab: no dose change, but a boxed warning on severe hypocalcaemia below eGFR 30 or on dialysis.
DENOSUMAB_ADVANCED_CKD_EGFR = threshold("denosumab-advanced-ckd-egfr")

ORAL_BISPHOSPHONATES = ("alendronate", "risedronate", "ibandronate")
BISPHOSPHONATES = (*ORAL_BISPHOSPHONATES, "zoledronic_acid")
ANTIRESORPTIVES = (*BISPHOSPHONATES, "denosumab", "raloxifene")
ANABOLICS = ("teriparatide", "abaloparatide", "romosozumab")
# The same as sets, to test the drugs taken now against them in one call (no loop in Python).
BISPHOSPHONATE_SET = frozenset(BISPHOSPHONATES)
ANTIRESORPTIVE_SET = frozenset(ANTIRESORPTIVES)
ANABOLIC_SET = frozenset(ANABOLICS)

_ALIASES = {
    "zoledronate": "zoledronic_acid",
    "zoledronic acid": "zoledronic_acid",
    "zoledronic-acid": "zoledronic_acid",
}

YOUNG_ADULT_AGE = threshold("young-adult-age")
DRUG_INTENTS = (Intent.DRUG_CHOICE, Intent.DOSE, Intent.RENAL_DOSING, Intent.COMPARE)
TREATMENT_DECISIONS = (Decision.YES, Decision.CONDITIONAL)  # treatment indicated, or if indicated


def canonical(name: str) -> str:
    key = name.strip().lower()
    return _ALIASES.get(key, key.replace(" ", "_").replace("-", "_"))


def current(f: Facts) -> list[str]:
    """Osteoporosis drugs the patient takes now (canonical names, in the order given)."""
    return [canonical(n) for n in f.current_drugs()]


def ever_took(f: Facts, drug: str) -> bool:
    return any(canonical(m.name) == drug for m in f.medications if m.status.value in ("affirmed", "historical"))


def renal_allows(drug: str, egfr: float | None) -> bool | None:
    """True if kidney function allows the drug, False if below its cut-off, None if unknown."""
    cutoff = RENAL_CUTOFF.get(drug)
    if cutoff is None:
        return True
    if egfr is None:
        return None
    return egfr >= cutoff


def oral_unsuitable_reasons(f: Facts) -> list[str]:
    out: list[str] = []
    if f.has("oesophageal_disorder"):
        out.append("an oesophageal disorder")
    if f.has("cannot_stay_upright"):
        out.append("inability to sit or stand upright after the dose")
    if f.has("hypocalcaemia"):
        out.append("hypocalcaemia")
    return out


def drugs_relevant(f: Facts, a: Assessment) -> bool:
    """New drug starts are discussed when treatment is indicated or conditional, or the question asks."""
    return a.decision in TREATMENT_DECISIONS or a.intent in DRUG_INTENTS


def mode(a: Assessment) -> str:
    """How firmly to phrase a new start: 'yes' (indicated) or 'if' (if treatment is indicated)."""
    return "yes" if a.decision == Decision.YES else "if"


def on_antiresorptive(f: Facts, a: Assessment) -> bool:
    return not ANTIRESORPTIVE_SET.isdisjoint(a.derived.current)
