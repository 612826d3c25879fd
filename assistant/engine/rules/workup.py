"""Work-up for secondary causes: the core laboratory panel, and the extra tests the facts call for.

Sources: facts.md §4, sources.md §5 (core panel: BHOF/AACE; conditional tests: AACE 2010 table 17).
Protein electrophoresis is tied to a suspicion of myeloma, never to age alone (facts.md §9b).
"""

from __future__ import annotations

from assistant.engine.knowledge.thresholds import threshold
from assistant.engine.model import (
    Assessment,
    Category,
    Finding,
    Recommendation,
    Section,
    Urgency,
    rule,
    section_recommendation,
)
from assistant.facts import Facts, FractureSite, Intent, Sex

CORE = "bhof-2022#secondary-causes-labs"
EVALUATE = "aace-2020#secondary-causes"
CONDITIONAL = "aace-2010#conditional-tests"
MEN = "endo-men-2012#lab-testing"
YOUNGER = "iscd-2019#z-scores-younger-adults"  # engine A's passage (diagnosis.yaml)

# Below this 25-OH vitamin D (ng/mL) vitamin D is "low" for the PTH trigger: the IOM level that is
# enough for bone (iom-2011, sources.md §6).
LOW_VITAMIN_D_NG_ML = threshold("vitamin-d-deficient")
# Z-score at or below which BMD is "below the expected range for age" (ISCD, sources.md §1.2).
Z_BELOW_EXPECTED = threshold("z-score-below-expected")
# Under this age the T-score categories do not apply and a low BMD needs a wider search (ISCD).
YOUNG_AGE = threshold("t-score-age")
# WHO: a T-score of -1.0 or higher is normal (who-1994, sources.md §1.1).
NORMAL_T = threshold("t-score-normal")

# The core panel, in the order a clinician writes the request: (recommendation id, statement key).
CORE_TESTS: tuple[tuple[str, str], ...] = (
    ("workup-cbc", "workup-cbc"),
    ("workup-calcium-phosphate", "workup-calcium-phosphate"),
    ("workup-creatinine-egfr", "workup-creatinine-egfr"),
    ("workup-alkaline-phosphatase", "workup-alkaline-phosphatase"),
    ("workup-liver-tests", "workup-liver-tests"),
    ("workup-tsh", "workup-tsh"),
    ("workup-vitamin-d", "workup-vitamin-d"),
    ("workup-urine-calcium", "workup-urine-calcium"),
)

_LOW_BMD = {
    Category.OSTEOPENIA,
    Category.OSTEOPOROSIS,
    Category.SEVERE_OSTEOPOROSIS,
    Category.BELOW_EXPECTED_FOR_AGE,
}


def workup_relevant(f: Facts, a: Assessment) -> bool:
    """Low bone mass, osteoporosis, a fragility fracture, an unknown category, or a question about labs."""
    cat = a.classification.category  # the commonest reason first (every test here is free of side effects)
    if cat is None or cat in _LOW_BMD:
        return True
    if f.prior_fragility_fracture or f.fracture_sites or f.has("osteoporosis_stated") or f.has("osteopenia_stated"):
        return True
    return a.intent == Intent.LABS_WORKUP


SECTION = Section.WORKUP  # this topic's answer section (read once: enum look-ups are slow)


_rec = section_recommendation(SECTION)  # _rec(id, statement, citations, urgency=INFO, **params)


@rule("workup-core-panel", topic="workup", cites=[CORE, EVALUATE])
def core_panel(f: Facts, a: Assessment) -> Finding | None:
    """Low bone mass, osteoporosis or a fragility fracture: the core laboratory panel for secondary causes (BHOF,
    AACE)."""
    if not workup_relevant(f, a):
        return None
    known = {
        "workup-creatinine-egfr": f.egfr,
        "workup-vitamin-d": f.vitamin_d,
        "workup-calcium-phosphate": f.calcium,
    }
    recs = [_rec("workup-intro", "workup-intro", [CORE, EVALUATE])]
    crcl = f.egfr_is_crcl
    recs += [
        Recommendation(rid, SECTION, key, {"known": known.get(rid), "crcl": crcl}, [CORE]) for rid, key in CORE_TESTS
    ]
    return Finding(
        result="core secondary-cause panel",
        used=["classification.category", "prior_fragility_fracture", "egfr", "vitamin_d", "calcium"],
        recommendations=recs,
    )


@rule("workup-testosterone-men", topic="workup", cites=[MEN, CONDITIONAL])
def testosterone_men(f: Facts, a: Assessment) -> Finding | None:
    """Men: add testosterone (with the other tests of the Endocrine Society's guideline for men)."""
    if not workup_relevant(f, a) or f.sex != Sex.MALE:
        return None
    return Finding(
        result="man: total testosterone",
        used=["sex"],
        recommendations=[_rec("workup-testosterone", "workup-testosterone", [MEN, CONDITIONAL])],
    )


def _pth_triggers(f: Facts) -> list[str]:
    out: list[str] = []
    if f.has("hypocalcaemia"):
        out.append("low calcium")
    if f.has("hyperparathyroidism"):
        out.append("suspected hyperparathyroidism")
    if f.vitamin_d is not None and f.vitamin_d < LOW_VITAMIN_D_NG_ML.value:
        out.append("low vitamin D")
    return out


@rule("workup-pth", topic="workup", cites=[CONDITIONAL])
def pth(f: Facts, a: Assessment) -> Finding | None:
    """PTH when low calcium, suspected hyperparathyroidism or low vitamin D suggests it (AACE 2010)."""
    if not workup_relevant(f, a):
        return None
    why = _pth_triggers(f)
    if why:
        rec = _rec(
            "workup-pth", "workup-pth-indicated", [CONDITIONAL], Urgency.WARNING, reasons=why, vitamin_d=f.vitamin_d
        )
        return Finding(
            result="PTH indicated: " + ", ".join(why),
            used=["vitamin_d", "conditions"],
            threshold=f"25-OH D < {LOW_VITAMIN_D_NG_ML.value:g} ng/mL or abnormal calcium",
            recommendations=[rec],
        )
    rec = _rec("workup-pth", "workup-pth-if", [CONDITIONAL])
    return Finding(
        result="PTH only if calcium abnormal or vitamin D low", used=["vitamin_d", "conditions"], recommendations=[rec]
    )


def _myeloma_features(f: Facts) -> list[str]:
    out: list[str] = []
    if FractureSite.VERTEBRAL in f.fracture_sites:
        out.append("a vertebral fracture")
    if f.has("multiple_fractures"):
        out.append("multiple fractures")
    if f.has("anaemia"):
        out.append("anaemia")
    if f.has("high_protein"):
        out.append("a high serum protein")
    return out


@rule("workup-myeloma-screen", topic="workup", cites=[CONDITIONAL])
def myeloma(f: Facts, a: Assessment) -> Finding | None:
    """A myeloma screen when a vertebral fracture, multiple fractures, anaemia or a high serum protein suggest it
    (AACE 2010)."""
    if not workup_relevant(f, a):
        return None
    features = _myeloma_features(f)
    if features:
        rec = _rec("workup-spep-flc", "workup-spep-indicated", [CONDITIONAL], Urgency.WARNING, features=features)
        return Finding(
            result="myeloma plausible: SPEP + free light chains",
            used=["fracture_sites", "conditions"],
            recommendations=[rec],
        )
    rec = _rec("workup-spep-flc", "workup-spep-if", [CONDITIONAL])
    return Finding(
        result="SPEP only when myeloma is suspected (not by age alone)",
        used=["fracture_sites", "conditions"],
        recommendations=[rec],
    )


@rule("workup-coeliac", topic="workup", cites=[CONDITIONAL])
def coeliac(f: Facts, a: Assessment) -> Finding | None:
    """Coeliac serology when malabsorption or coeliac disease is mentioned (AACE 2010)."""
    if not workup_relevant(f, a):
        return None
    if f.has("malabsorption"):  # (coeliac disease is malabsorption in the lexicon)
        rec = _rec("workup-ttg", "workup-ttg-indicated", [CONDITIONAL], Urgency.WARNING)
        return Finding(result="malabsorption: tTG IgA", used=["conditions.malabsorption"], recommendations=[rec])
    return None


@rule("workup-cushing", topic="workup", cites=[CONDITIONAL])
def cushing(f: Facts, a: Assessment) -> Finding | None:
    """Tests for Cushing's syndrome when it is suspected or mentioned (AACE 2010)."""
    if not workup_relevant(f, a):
        return None
    if f.has("cushings"):
        rec = _rec("workup-cortisol", "workup-cortisol-indicated", [CONDITIONAL], Urgency.WARNING)
        return Finding(
            result="Cushing's suspected: cortisol testing", used=["conditions.cushings"], recommendations=[rec]
        )
    return None


def _wider_reasons(f: Facts, a: Assessment) -> list[str]:
    out: list[str] = []
    if f.age is not None and f.age < YOUNG_AGE.value:
        out.append(f"age under {YOUNG_AGE}")
    z = f.lowest_z()
    if a.classification.category == Category.BELOW_EXPECTED_FOR_AGE or (
        z is not None and z[0] <= Z_BELOW_EXPECTED.value
    ):
        out.append("a Z-score below the expected range for age")
    low = a.derived.lowest_t
    fractured = bool(f.prior_fragility_fracture or f.fracture_sites)
    if fractured and (a.classification.category == Category.NORMAL or (low is not None and low[0] >= NORMAL_T.value)):
        out.append("a fragility fracture with normal bone density")
    if f.has("fracture_on_therapy"):
        out.append("a fracture despite treatment")
    if f.has("bmd_declining") and f.current_drugs():
        out.append("bone loss despite treatment")
    return out


@rule("workup-wider", topic="workup", cites=[CONDITIONAL, YOUNGER])
def wider(f: Facts, a: Assessment) -> Finding | None:
    """A wider search for causes when bone loss is unexpected: age under 50, a Z-score below expected, a fracture
    with normal bone density, a fracture or bone loss despite treatment (AACE 2010, ISCD)."""
    if not workup_relevant(f, a):
        return None
    reasons = _wider_reasons(f, a)
    if not reasons:
        return None
    rec = _rec(
        "workup-wider",
        "workup-wider",
        [CONDITIONAL, YOUNGER],
        Urgency.WARNING,
        reasons=reasons,
        male=f.sex == Sex.MALE,
        female=f.sex == Sex.FEMALE,
    )
    return Finding(
        result="wider work-up: " + ", ".join(reasons), used=["age", "z_scores", "fracture_sites"], recommendations=[rec]
    )
