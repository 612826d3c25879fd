"""Universal measures, for every patient in scope whatever the treatment decision (the seed's list).

Calcium and vitamin D by age and sex (IOM 2011, BHOF 2022), the vitamin D targets side by side, exercise,
fall prevention, smoking and alcohol. Sources: facts.md §5, sources.md §6.
"""

from __future__ import annotations

from assistant.engine.knowledge.thresholds import threshold
from assistant.engine.model import (
    Assessment,
    Finding,
    Section,
    Urgency,
    rule,
    section_recommendation,
)
from assistant.facts import Facts, Sex

CALCIUM_IOM = "iom-2011#calcium-rda"
CALCIUM_BHOF = "bhof-2022#calcium"
VITD_IOM = "iom-2011#vitamin-d-rda"
VITD_BHOF = "bhof-2022#vitamin-d"
VITD_AACE = "aace-2010#vitamin-d-target"
EXERCISE = "bhof-2022#exercise"
FALLS = "bhof-2022#falls"
SMOKING_ALCOHOL = "bhof-2022#smoking-alcohol"
FRAX_ALCOHOL = "frax-web#alcohol"

# Total calcium intake, mg/day (IOM 2011 RDA; BHOF 2022 gives the same figures from 50/51).
CALCIUM_ADULT_TO_50_MG = threshold("calcium-adult-to-50")  # adults 19-50
CALCIUM_WOMEN_51_PLUS_MG = threshold("calcium-women-51-plus")  # women 51 and over
CALCIUM_MEN_51_70_MG = threshold("calcium-men-51-70")  # men 51-70
CALCIUM_ALL_71_PLUS_MG = threshold("calcium-all-71-plus")  # everyone 71 and over
# Tolerable upper intake level, mg/day (IOM 2011): 2500 for 19-50, 2000 from 51.
CALCIUM_UL_TO_50_MG = threshold("calcium-upper-to-50")
CALCIUM_UL_51_PLUS_MG = threshold("calcium-upper-51-plus")
ADULT_AGE = threshold("calcium-adult-age")
YOUNGER_BAND_LAST_AGE = threshold("calcium-younger-band-last-age")
MIDDLE_BAND_LAST_AGE = threshold("calcium-middle-band-last-age")

# Vitamin D intake, IU/day: IOM RDA 600 to age 70, 800 from 71; BHOF 800-1000 for adults 50 and over.
VITD_IOM_TO_70_IU = threshold("vitamin-d-iom-to-70")
VITD_IOM_71_PLUS_IU = threshold("vitamin-d-iom-71-plus")
VITD_BHOF_LOW_IU = threshold("vitamin-d-bhof-low")
VITD_BHOF_HIGH_IU = threshold("vitamin-d-bhof-high")
VITD_BHOF_FROM_AGE = threshold("vitamin-d-bhof-from-age")
# Serum 25-OH vitamin D targets, ng/mL: IOM 20 (50 nmol/L) enough for bone; BHOF/AACE 30 (75 nmol/L)
# or more; BHOF upper bound 50.
VITD_IOM_TARGET = threshold("vitamin-d-iom-target")
VITD_BHOF_TARGET = threshold("vitamin-d-bhof-target")
VITD_BHOF_UPPER = threshold("vitamin-d-bhof-upper")

# FRAX counts 3 or more units of alcohol a day as a risk factor (frax-web).
ALCOHOL_FRAX_UNITS = threshold("alcohol-frax-units")


SECTION = Section.UNIVERSAL  # this topic's answer section (read once: enum look-ups are slow)


_rec = section_recommendation(SECTION)  # _rec(id, statement, citations, urgency=INFO, **params)


def calcium_target_mg(age: int, sex: Sex | None) -> int | None:
    """Total daily calcium for an adult of this age and sex; None when sex is needed but unknown."""
    if age <= YOUNGER_BAND_LAST_AGE.value:
        return CALCIUM_ADULT_TO_50_MG.value
    if age > MIDDLE_BAND_LAST_AGE.value:
        return CALCIUM_ALL_71_PLUS_MG.value
    if sex == Sex.FEMALE:
        return CALCIUM_WOMEN_51_PLUS_MG.value
    if sex == Sex.MALE:
        return CALCIUM_MEN_51_70_MG.value
    return None


def calcium_upper_mg(age: int) -> int:
    return CALCIUM_UL_TO_50_MG.value if age <= YOUNGER_BAND_LAST_AGE.value else CALCIUM_UL_51_PLUS_MG.value


@rule("universal-calcium-intake", topic="universal", cites=[CALCIUM_IOM, CALCIUM_BHOF])
def calcium(f: Facts, a: Assessment) -> Finding | None:
    """Total calcium intake by age and sex (IOM 2011, BHOF 2022), with the upper limit."""
    cites = [CALCIUM_IOM, CALCIUM_BHOF]
    used = ["age", "sex"]
    young, middle = YOUNGER_BAND_LAST_AGE.value, MIDDLE_BAND_LAST_AGE.value
    threshold = (
        f"IOM/BHOF: {CALCIUM_ADULT_TO_50_MG} mg to {young}; women {young + 1}+ {CALCIUM_WOMEN_51_PLUS_MG}; "
        f"men {young + 1}-{middle} {CALCIUM_MEN_51_70_MG}; {middle + 1}+ {CALCIUM_ALL_71_PLUS_MG}"
    )
    if f.age is not None and f.age >= ADULT_AGE.value:
        mg = calcium_target_mg(f.age, f.sex)
        ul = calcium_upper_mg(f.age)
        if mg is not None:
            rec = _rec(
                "calcium-intake",
                "calcium-for-patient",
                cites,
                mg=mg,
                ul=ul,
                age=f.age,
                sex=f.sex.value if f.sex else None,
            )
            return Finding(result=f"calcium {mg} mg/day total", used=used, threshold=threshold, recommendations=[rec])
        rec = _rec(
            "calcium-intake",
            "calcium-sex-unknown",
            cites,
            women_mg=CALCIUM_WOMEN_51_PLUS_MG.value,
            men_mg=CALCIUM_MEN_51_70_MG.value,
            ul=ul,
            age=f.age,
        )
        return Finding(
            result=f"calcium depends on sex at {young + 1}-{middle}",
            used=used,
            threshold=threshold,
            recommendations=[rec],
            missing=["sex"],
        )
    rec = _rec(
        "calcium-intake",
        "calcium-general",
        cites,
        sex=f.sex.value if f.sex else None,
        young_mg=CALCIUM_ADULT_TO_50_MG.value,
        women_mg=CALCIUM_WOMEN_51_PLUS_MG.value,
        men_mg=CALCIUM_MEN_51_70_MG.value,
        old_mg=CALCIUM_ALL_71_PLUS_MG.value,
        ul_young=CALCIUM_UL_TO_50_MG.value,
        ul_old=CALCIUM_UL_51_PLUS_MG.value,
    )
    missing = ["age"] + ([] if f.sex else ["sex"])
    return Finding(
        result=f"calcium {CALCIUM_ADULT_TO_50_MG}-{CALCIUM_WOMEN_51_PLUS_MG} mg/day by age and sex",
        used=used,
        threshold=threshold,
        recommendations=[rec],
        missing=missing,
    )


@rule("universal-vitamin-d-intake", topic="universal", cites=[VITD_IOM, VITD_BHOF])
def vitamin_d_intake(f: Facts, a: Assessment) -> Finding | None:
    """Vitamin D intake: the IOM allowance by age and the BHOF range from 50."""
    threshold = (
        f"IOM {VITD_IOM_TO_70_IU} IU to {MIDDLE_BAND_LAST_AGE}, {VITD_IOM_71_PLUS_IU} IU from "
        f"{MIDDLE_BAND_LAST_AGE.value + 1}; BHOF {VITD_BHOF_LOW_IU}-{VITD_BHOF_HIGH_IU} IU from {VITD_BHOF_FROM_AGE}"
    )
    if f.age is not None and f.age >= ADULT_AGE.value:
        iom = VITD_IOM_TO_70_IU.value if f.age <= MIDDLE_BAND_LAST_AGE.value else VITD_IOM_71_PLUS_IU.value
        bhof = f.age >= VITD_BHOF_FROM_AGE.value
        cites = [VITD_IOM, VITD_BHOF] if bhof else [VITD_IOM]
        rec = _rec(
            "vitamin-d-intake",
            "vitamin-d-for-patient",
            cites,
            iom_iu=iom,
            bhof=bhof,
            bhof_low=VITD_BHOF_LOW_IU.value,
            bhof_high=VITD_BHOF_HIGH_IU.value,
            age=f.age,
        )
        return Finding(
            result=f"vitamin D {iom} IU/day (IOM)"
            + (f" or {VITD_BHOF_LOW_IU}-{VITD_BHOF_HIGH_IU} IU (BHOF)" if bhof else ""),
            used=["age"],
            threshold=threshold,
            recommendations=[rec],
        )
    rec = _rec(
        "vitamin-d-intake",
        "vitamin-d-general",
        [VITD_IOM, VITD_BHOF],
        iom_young=VITD_IOM_TO_70_IU.value,
        iom_old=VITD_IOM_71_PLUS_IU.value,
        bhof_low=VITD_BHOF_LOW_IU.value,
        bhof_high=VITD_BHOF_HIGH_IU.value,
    )
    return Finding(
        result=f"vitamin D {VITD_IOM_TO_70_IU}-{VITD_IOM_71_PLUS_IU} IU (IOM) / "
        f"{VITD_BHOF_LOW_IU}-{VITD_BHOF_HIGH_IU} IU (BHOF) by age",
        used=["age"],
        threshold=threshold,
        recommendations=[rec],
        missing=["age"],
    )


def vitamin_d_band(level: float) -> str:
    """'deficient' (< 20), 'iom-only' (20 to < 30), 'target' (30-50), 'above' (> 50), ng/mL."""
    if level < VITD_IOM_TARGET.value:
        return "deficient"
    if level < VITD_BHOF_TARGET.value:
        return "iom-only"
    if level <= VITD_BHOF_UPPER.value:
        return "target"
    return "above"


@rule("universal-vitamin-d-target", topic="universal", cites=[VITD_IOM, VITD_BHOF, VITD_AACE])
def vitamin_d_target(f: Facts, a: Assessment) -> Finding | None:
    """The serum 25-OH vitamin D target: enough for bone by IOM, the BHOF/AACE range, against the level given."""
    cites = [VITD_IOM, VITD_BHOF, VITD_AACE]
    params = {"iom": VITD_IOM_TARGET.value, "bhof": VITD_BHOF_TARGET.value, "upper": VITD_BHOF_UPPER.value}
    threshold = (
        f"25-OH D >= {VITD_IOM_TARGET} ng/mL (IOM); >= {VITD_BHOF_TARGET} and <= {VITD_BHOF_UPPER} ng/mL (BHOF/AACE)"
    )
    if f.vitamin_d is None:
        rec = _rec("vitamin-d-target", "vitamin-d-targets", cites, **params)
        return Finding(
            result=f"targets: IOM >= {VITD_IOM_TARGET}, BHOF/AACE >= {VITD_BHOF_TARGET} ng/mL",
            used=["vitamin_d"],
            threshold=threshold,
            recommendations=[rec],
        )
    band = vitamin_d_band(f.vitamin_d)
    urgency = Urgency.WARNING if band == "deficient" else Urgency.INFO
    rec = _rec("vitamin-d-target", "vitamin-d-level", cites, urgency, level=f.vitamin_d, band=band, **params)
    return Finding(
        result=f"25-OH D {f.vitamin_d:g} ng/mL: {band}", used=["vitamin_d"], threshold=threshold, recommendations=[rec]
    )


@rule("universal-exercise", topic="universal", cites=[EXERCISE])
def exercise(f: Facts, a: Assessment) -> Finding | None:
    """Weight-bearing and muscle-strengthening exercise, for everyone (BHOF)."""
    return Finding(
        result="weight-bearing and muscle-strengthening exercise",
        used=[],
        recommendations=[_rec("exercise", "exercise", [EXERCISE])],
    )


@rule("universal-falls-prevention", topic="universal", cites=[FALLS])
def falls(f: Facts, a: Assessment) -> Finding | None:
    """Fall prevention for everyone; a warning when falls are reported (BHOF)."""
    fell = f.has("falls")
    rec = _rec("falls-prevention", "falls-prevention", [FALLS], Urgency.WARNING if fell else Urgency.INFO, falls=fell)
    return Finding(
        result="falls history: targeted prevention" if fell else "fall prevention",
        used=["conditions.falls"],
        recommendations=[rec],
    )


@rule("universal-smoking-cessation", topic="universal", cites=[SMOKING_ALCOHOL, FRAX_ALCOHOL])
def smoking(f: Facts, a: Assessment) -> Finding | None:
    """Stop smoking, unless the patient is known not to smoke (BHOF; smoking is a FRAX input)."""
    status = f.condition("smoking")
    if status is False:
        return Finding(result="non-smoker: nothing to add", used=["conditions.smoking"])
    rec = _rec("smoking-cessation", "smoking", [SMOKING_ALCOHOL, FRAX_ALCOHOL], smoker=status is True)
    return Finding(
        result="smoker: advise stopping" if status else "advise not smoking",
        used=["conditions.smoking"],
        recommendations=[rec],
    )


@rule("universal-alcohol-limit", topic="universal", cites=[SMOKING_ALCOHOL, FRAX_ALCOHOL])
def alcohol(f: Facts, a: Assessment) -> Finding | None:
    """Limit alcohol, unless intake is known not to be excessive (BHOF; the FRAX cut-off in units a day)."""
    status = f.condition("alcohol_excess")
    if status is False:
        return Finding(result="no excess alcohol: nothing to add", used=["conditions.alcohol_excess"])
    rec = _rec(
        "alcohol-limit",
        "alcohol",
        [SMOKING_ALCOHOL, FRAX_ALCOHOL],
        Urgency.WARNING if status else Urgency.INFO,
        excess=status is True,
        units=ALCOHOL_FRAX_UNITS.value,
    )
    return Finding(
        result="alcohol excess: cut down" if status else "limit alcohol",
        used=["conditions.alcohol_excess"],
        threshold=f"{ALCOHOL_FRAX_UNITS} or more units a day (FRAX)",
        recommendations=[rec],
    )
