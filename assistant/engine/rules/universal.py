"""Universal measures, for every patient in scope whatever the treatment decision (the seed's list).

Calcium and vitamin D by age and sex (IOM 2011, BHOF 2022), the vitamin D targets side by side, exercise,
fall prevention, smoking and alcohol. Sources: facts.md §5, sources.md §6.
"""

from __future__ import annotations

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
CALCIUM_ADULT_TO_50_MG = 1000  # adults 19-50
CALCIUM_WOMEN_51_PLUS_MG = 1200  # women 51 and over
CALCIUM_MEN_51_70_MG = 1000  # men 51-70
CALCIUM_ALL_71_PLUS_MG = 1200  # everyone 71 and over
# Tolerable upper intake level, mg/day (IOM 2011): 2500 for 19-50, 2000 from 51.
CALCIUM_UL_TO_50_MG = 2500
CALCIUM_UL_51_PLUS_MG = 2000
ADULT_AGE = 19
YOUNGER_BAND_LAST_AGE = 50  # IOM band 19-50
MIDDLE_BAND_LAST_AGE = 70  # IOM band 51-70; 71 and over is the oldest band

# Vitamin D intake, IU/day: IOM RDA 600 to age 70, 800 from 71; BHOF 800-1000 for adults 50 and over.
VITD_IOM_TO_70_IU = 600
VITD_IOM_71_PLUS_IU = 800
VITD_BHOF_LOW_IU = 800
VITD_BHOF_HIGH_IU = 1000
VITD_BHOF_FROM_AGE = 50
# Serum 25-OH vitamin D targets, ng/mL: IOM 20 (50 nmol/L) enough for bone; BHOF/AACE 30 (75 nmol/L)
# or more; BHOF upper bound 50.
VITD_IOM_TARGET = 20.0
VITD_BHOF_TARGET = 30.0
VITD_BHOF_UPPER = 50.0

# FRAX counts 3 or more units of alcohol a day as a risk factor (frax-web).
ALCOHOL_FRAX_UNITS = 3


SECTION = Section.UNIVERSAL  # this topic's answer section (read once: enum look-ups are slow)


_rec = section_recommendation(SECTION)  # _rec(id, statement, citations, urgency=INFO, **params)


def calcium_target_mg(age: int, sex: Sex | None) -> int | None:
    """Total daily calcium for an adult of this age and sex; None when sex is needed but unknown."""
    if age <= YOUNGER_BAND_LAST_AGE:
        return CALCIUM_ADULT_TO_50_MG
    if age > MIDDLE_BAND_LAST_AGE:
        return CALCIUM_ALL_71_PLUS_MG
    if sex == Sex.FEMALE:
        return CALCIUM_WOMEN_51_PLUS_MG
    if sex == Sex.MALE:
        return CALCIUM_MEN_51_70_MG
    return None


def calcium_upper_mg(age: int) -> int:
    return CALCIUM_UL_TO_50_MG if age <= YOUNGER_BAND_LAST_AGE else CALCIUM_UL_51_PLUS_MG


@rule("calcium-intake", topic="universal", cites=[CALCIUM_IOM, CALCIUM_BHOF])
def calcium(f: Facts, a: Assessment) -> Finding | None:
    cites = [CALCIUM_IOM, CALCIUM_BHOF]
    used = ["age", "sex"]
    threshold = "IOM/BHOF: 1000 mg to 50; women 51+ 1200; men 51-70 1000; 71+ 1200"
    if f.age is not None and f.age >= ADULT_AGE:
        mg = calcium_target_mg(f.age, f.sex)
        ul = calcium_upper_mg(f.age)
        if mg is not None:
            rec = _rec(
                "calcium-intake",
                "calcium_for_patient",
                cites,
                mg=mg,
                ul=ul,
                age=f.age,
                sex=f.sex.value if f.sex else None,
            )
            return Finding(result=f"calcium {mg} mg/day total", used=used, threshold=threshold, recommendations=[rec])
        rec = _rec(
            "calcium-intake",
            "calcium_sex_unknown",
            cites,
            women_mg=CALCIUM_WOMEN_51_PLUS_MG,
            men_mg=CALCIUM_MEN_51_70_MG,
            ul=ul,
            age=f.age,
        )
        return Finding(
            result="calcium depends on sex at 51-70",
            used=used,
            threshold=threshold,
            recommendations=[rec],
            missing=["sex"],
        )
    rec = _rec(
        "calcium-intake",
        "calcium_general",
        cites,
        sex=f.sex.value if f.sex else None,
        young_mg=CALCIUM_ADULT_TO_50_MG,
        women_mg=CALCIUM_WOMEN_51_PLUS_MG,
        men_mg=CALCIUM_MEN_51_70_MG,
        old_mg=CALCIUM_ALL_71_PLUS_MG,
        ul_young=CALCIUM_UL_TO_50_MG,
        ul_old=CALCIUM_UL_51_PLUS_MG,
    )
    missing = ["age"] + ([] if f.sex else ["sex"])
    return Finding(
        result="calcium 1000-1200 mg/day by age and sex",
        used=used,
        threshold=threshold,
        recommendations=[rec],
        missing=missing,
    )


@rule("vitamin-d-intake", topic="universal", cites=[VITD_IOM, VITD_BHOF])
def vitamin_d_intake(f: Facts, a: Assessment) -> Finding | None:
    threshold = "IOM 600 IU to 70, 800 IU from 71; BHOF 800-1000 IU from 50"
    if f.age is not None and f.age >= ADULT_AGE:
        iom = VITD_IOM_TO_70_IU if f.age <= MIDDLE_BAND_LAST_AGE else VITD_IOM_71_PLUS_IU
        bhof = f.age >= VITD_BHOF_FROM_AGE
        cites = [VITD_IOM, VITD_BHOF] if bhof else [VITD_IOM]
        rec = _rec(
            "vitamin-d-intake",
            "vitamin_d_for_patient",
            cites,
            iom_iu=iom,
            bhof=bhof,
            bhof_low=VITD_BHOF_LOW_IU,
            bhof_high=VITD_BHOF_HIGH_IU,
            age=f.age,
        )
        return Finding(
            result=f"vitamin D {iom} IU/day (IOM)" + (" or 800-1000 IU (BHOF)" if bhof else ""),
            used=["age"],
            threshold=threshold,
            recommendations=[rec],
        )
    rec = _rec(
        "vitamin-d-intake",
        "vitamin_d_general",
        [VITD_IOM, VITD_BHOF],
        iom_young=VITD_IOM_TO_70_IU,
        iom_old=VITD_IOM_71_PLUS_IU,
        bhof_low=VITD_BHOF_LOW_IU,
        bhof_high=VITD_BHOF_HIGH_IU,
    )
    return Finding(
        result="vitamin D 600-800 IU (IOM) / 800-1000 IU (BHOF) by age",
        used=["age"],
        threshold=threshold,
        recommendations=[rec],
        missing=["age"],
    )


def vitamin_d_band(level: float) -> str:
    """'deficient' (< 20), 'iom-only' (20 to < 30), 'target' (30-50), 'above' (> 50), ng/mL."""
    if level < VITD_IOM_TARGET:
        return "deficient"
    if level < VITD_BHOF_TARGET:
        return "iom-only"
    if level <= VITD_BHOF_UPPER:
        return "target"
    return "above"


@rule("vitamin-d-target", topic="universal", cites=[VITD_IOM, VITD_BHOF, VITD_AACE])
def vitamin_d_target(f: Facts, a: Assessment) -> Finding | None:
    cites = [VITD_IOM, VITD_BHOF, VITD_AACE]
    params = {"iom": VITD_IOM_TARGET, "bhof": VITD_BHOF_TARGET, "upper": VITD_BHOF_UPPER}
    threshold = "25-OH D >= 20 ng/mL (IOM); >= 30 and <= 50 ng/mL (BHOF/AACE)"
    if f.vitamin_d is None:
        rec = _rec("vitamin-d-target", "vitamin_d_targets", cites, **params)
        return Finding(
            result="targets: IOM >= 20, BHOF/AACE >= 30 ng/mL",
            used=["vitamin_d"],
            threshold=threshold,
            recommendations=[rec],
        )
    band = vitamin_d_band(f.vitamin_d)
    urgency = Urgency.WARNING if band == "deficient" else Urgency.INFO
    rec = _rec("vitamin-d-target", "vitamin_d_level", cites, urgency, level=f.vitamin_d, band=band, **params)
    return Finding(
        result=f"25-OH D {f.vitamin_d:g} ng/mL: {band}", used=["vitamin_d"], threshold=threshold, recommendations=[rec]
    )


@rule("exercise", topic="universal", cites=[EXERCISE])
def exercise(f: Facts, a: Assessment) -> Finding | None:
    return Finding(
        result="weight-bearing and muscle-strengthening exercise",
        used=[],
        recommendations=[_rec("exercise", "exercise", [EXERCISE])],
    )


@rule("falls-prevention", topic="universal", cites=[FALLS])
def falls(f: Facts, a: Assessment) -> Finding | None:
    fell = f.has("falls")
    rec = _rec("falls-prevention", "falls_prevention", [FALLS], Urgency.WARNING if fell else Urgency.INFO, falls=fell)
    return Finding(
        result="falls history: targeted prevention" if fell else "fall prevention",
        used=["conditions.falls"],
        recommendations=[rec],
    )


@rule("smoking-cessation", topic="universal", cites=[SMOKING_ALCOHOL, FRAX_ALCOHOL])
def smoking(f: Facts, a: Assessment) -> Finding | None:
    status = f.condition("smoking")
    if status is False:
        return Finding(result="non-smoker: nothing to add", used=["conditions.smoking"])
    rec = _rec("smoking-cessation", "smoking", [SMOKING_ALCOHOL, FRAX_ALCOHOL], smoker=status is True)
    return Finding(
        result="smoker: advise stopping" if status else "advise not smoking",
        used=["conditions.smoking"],
        recommendations=[rec],
    )


@rule("alcohol-limit", topic="universal", cites=[SMOKING_ALCOHOL, FRAX_ALCOHOL])
def alcohol(f: Facts, a: Assessment) -> Finding | None:
    status = f.condition("alcohol_excess")
    if status is False:
        return Finding(result="no excess alcohol: nothing to add", used=["conditions.alcohol_excess"])
    rec = _rec(
        "alcohol-limit",
        "alcohol",
        [SMOKING_ALCOHOL, FRAX_ALCOHOL],
        Urgency.WARNING if status else Urgency.INFO,
        excess=status is True,
        units=ALCOHOL_FRAX_UNITS,
    )
    return Finding(
        result="alcohol excess: cut down" if status else "limit alcohol",
        used=["conditions.alcohol_excess"],
        threshold="3 or more units a day (FRAX)",
        recommendations=[rec],
    )
