"""Paraphrase matrix (issue 15): for each failure class, many phrasings of one fact must give the same facts.

The phrasings are our own (site before and after the value, words between, adverbs, units, unicode minus,
abbreviations, word order), not the dev set's questions.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.facts import Parsed
from assistant.parse import parse
from tests.parse.conftest import check


def _earlier(p: Parsed) -> list[str]:
    return [m.detail or "" for m in p.facts.mentions if m.concept == "earlier_score"]


# --- 1. value and site in any order, with words between -------------------------------------------------
LUMBAR_MINUS_2_9 = [
    "LS remains -2.9",
    "lumbar spine T-score -2.9",
    "T-score -2.9 at the lumbar spine",
    "the spine measured \u22122.9 this time",
    "L1-L4: -2.9",
    "T score of negative 2.9 in the lumbar spine",
    "spine (L1\u2013L4) T-score: \u20132.9",
    "her lumbar T-score is now -2.9",
    "DXA showed a T-score of -2.9 at L1-L4",
    "T -2.9 LS",
    "a lumbar spine bone density T-score of -2.9",
    "SD of -2.9 at L2-L4 on the DXA",
]


@pytest.mark.parametrize("text", LUMBAR_MINUS_2_9)
def test_value_and_site_in_any_order(text: str) -> None:
    check(text, {"t": {"lumbar_spine": -2.9}, "z": {}, "t_unsited": None, "z_unsited": None})


T_AND_Z_SIDE_BY_SIDE = [
    "left femoral neck T score -1.9 with Z score -0.7",
    "FN T -1.9, Z -0.7",
    "femoral neck: T-score -1.9, Z-score -0.7",
    "T-score -1.9 and Z-score -0.7 at the femoral neck",
    "fem neck Z-score -0.7, T-score -1.9",
    "Z score \u22120.7 and T score \u22121.9 at the left femoral neck",
    "the femoral neck T-score was -1.9 (Z-score -0.7)",
    "FN: T = -1.9, Z = -0.7",
    "neck of femur T -1.9 / Z -0.7",
    "DXA femoral neck: Z -0.7 T -1.9",
]


@pytest.mark.parametrize("text", T_AND_Z_SIDE_BY_SIDE)
def test_t_and_z_scores_side_by_side_never_swap(text: str) -> None:
    check(text, {"t": {"femoral_neck": -1.9}, "z": {"femoral_neck": -0.7}, "t_unsited": None, "z_unsited": None})


OTHER_SITES = [
    ("total hip (R) T-score: -1.4", {"total_hip": -1.4}),
    ("forearm 1/3 radius -3.0", {"forearm_33": -3.0}),
    ("a radius BMD T-score of \u20133.0", {"forearm_33": -3.0}),
    ("osteopenia at the left femoral neck with a T-score of -1.2", {"femoral_neck": -1.2}),
    ("T score -2.2 (bone density) in the lumbar spine", {"lumbar_spine": -2.2}),
    ("BMD 0.812 g/cm2 at the spine and a T-score of -2.3", {"lumbar_spine": -2.3}),
    ("right hip T -1.1, spine T -2.4", {"total_hip": -1.1, "lumbar_spine": -2.4}),
    ("T-scores: FN -2.1, TH -1.6, LS -2.7", {"femoral_neck": -2.1, "total_hip": -1.6, "lumbar_spine": -2.7}),
    ("spine -2.7, hip -1.6 and femoral neck -2.1",
     {"lumbar_spine": -2.7, "total_hip": -1.6, "femoral_neck": -2.1}),
    ("T-scores of -2.7, -1.6 and -2.1 at the spine, total hip and femoral neck",
     {"lumbar_spine": -2.7, "total_hip": -1.6, "femoral_neck": -2.1}),
    ("osteopenia of the spine with a T-score of -1.8 and a normal hip", {"lumbar_spine": -1.8}),
    ("DXA: spine normal, left hip T-score -2.6", {"total_hip": -2.6}),
]


@pytest.mark.parametrize("text, t", OTHER_SITES)
def test_each_value_stays_with_its_own_site(text: str, t: dict[str, float]) -> None:
    check(text, {"t": t, "t_unsited": None})


@pytest.mark.parametrize("text", [
    "T-score -2.6 at the spine and hip",  # one value, two sites: which one is not said
    "T-score -2.6, prior hip fracture",  # a fracture's site is not a DXA site
    "T-score -2.6. The hip was not scanned.",  # another sentence
    "T-score -2.6, she has hip pain",  # another clause, and not a DXA
    "the spine could not be assessed; T-score -2.6",
])
def test_a_value_without_its_own_site_stays_unsited(text: str) -> None:
    check(text, {"t": {}, "t_unsited": -2.6})


# --- 2. then and now ----------------------------------------------------------------------------------
THEN_AND_NOW = [
    "spine T-score previously -2.6, now -2.2",
    "lumbar spine T-score -2.2, up from -2.6 two years ago",
    "LS T-score improved from -2.6 to -2.2",
    "the spine was -2.6 in 2021 and is -2.2 now",
    "T-score at the lumbar spine: -2.2 (was -2.6 on the last scan)",
    "lumbar spine -2.2 today; baseline -2.6",
    "spine T \u22122.2 (prior DXA \u22122.6)",
    "LS -2.2, previously -2.6",
    "lumbar T-score -2.2 compared with -2.6 three years ago",
    "her spine went from -2.6 to -2.2",
]


@pytest.mark.parametrize("text", THEN_AND_NOW)
def test_the_current_value_is_the_fact_and_the_earlier_is_history(text: str) -> None:
    p = check(text, {"t": {"lumbar_spine": -2.2}, "t_unsited": None, "questions": [], "contradictions": []})
    assert any("-2.6" in e for e in _earlier(p)), _earlier(p)


DURATIONS = [
    "on alendronate x3 yrs",
    "Fosamax for 3 years",
    "alendronate 70 mg weekly for 3 years",
    "3 years of alendronate",
    "on Fosamax for the past 3 years",
    "has been on alendronate for 3 yrs",
    "alendronate therapy x 3 years",
    "Fosamax 3 yrs",
    "alendronate (Fosamax) for 3 years",
    "3 yrs on alendronate",
]


@pytest.mark.parametrize("text", DURATIONS)
def test_durations_of_a_drug(text: str) -> None:
    check(text, {"meds": [{"name": "alendronate", "status": "affirmed", "years": 3.0}]})


LAST_DOSE = [
    "Prolia, last dose 9 mo ago",
    "last Prolia shot 9 months ago",
    "denosumab, last injection 9 months ago",
    "on denosumab; last injection was 9 months ago",
    "last dose of Prolia 9 months ago",
    "Prolia q6 months, the last one 9 months ago",
    "denosumab (last given about 9 months ago)",
    "her last denosumab injection was 9 months ago",
    "on Prolia, most recent dose 9 mo ago",
    "Prolia: last injection 9 months ago",
]


@pytest.mark.parametrize("text", LAST_DOSE)
def test_months_since_the_last_dose(text: str) -> None:
    p = parse(text)
    assert [(m.name, m.months_since_last) for m in p.facts.medications] == [("denosumab", 9.0)], text


@pytest.mark.parametrize("text, want", [
    # a stop N months ago: the last dose was at least that long ago, never N months of use
    ("stopped denosumab 8 months ago", ("historical", None, 8.0)),
    ("she stopped Prolia 2 years ago", ("historical", None, 24.0)),
    ("started denosumab 8 months ago", ("affirmed", 0.67, None)),  # a start: how long she has taken it
])
def test_a_stop_some_months_ago_is_time_since_the_last_dose(text: str, want: tuple[str, Any, Any]) -> None:
    p = parse(text)
    assert [(m.status.value, m.years, m.months_since_last) for m in p.facts.medications] == [want], text


@pytest.mark.parametrize("text, want", [
    ("Prolia since 2019", {"since": 2019}),
    ("on denosumab since 2019", {"since": 2019}),
    ("alendronate for a decade", {"years": 10.0}),
    ("Fosamax 5 yrs", {"years": 5.0}),
    ("alendronate 2015-2020", {"since": 2015, "last": 2020, "status": "historical"}),
])
def test_times_of_a_drug(text: str, want: dict[str, Any]) -> None:
    med = parse(text).facts.medications[0]
    for key, value in want.items():
        got = getattr(med, key)
        assert (got.value if hasattr(got, "value") else got) == value, (text, key, got)


# --- 3. categories are not values ---------------------------------------------------------------------
OSTEOPENIC_CATEGORY = [
    "T-scores in the osteopenic range",
    "T-score between -1 and -2.5",
    "T-scores \u22121.0 to \u22122.5",
    "osteopenia (T-score -1.0 to -2.5)",
    "her T-score is between -1.0 and -2.5",
    "T-score from -1 to -2.5",
    "osteopenic T-scores",
    "T-score in the osteopenia range",
    "low bone mass, T-score -2.5 to -1.0",
    "T-scores between minus 1 and minus 2.5",
    "a T score between -1 and -2.5 at the hip",
]


@pytest.mark.parametrize("text", OSTEOPENIC_CATEGORY)
def test_a_category_range_is_a_stated_category_not_a_value(text: str) -> None:
    p = check(text, {"t": {}, "t_unsited": None, "questions": []})
    assert p.facts.conditions.get("osteopenia_stated") is True


# --- 4. risk, prevention, questions and topics are not facts -------------------------------------------
NOT_FACTS = [
    "worried about her fracture risk",
    "to prevent fractures",
    "does she have osteoporosis?",
    "treatment of osteoporosis in men",
    "how long should he stay on teriparatide?",
    "is she at high risk of fracture?",
    "how can we reduce her risk of hip fracture?",
    "fracture prevention in older women",
    "could this be osteoporosis?",
    "what is the risk of a vertebral fracture?",
    "prevention of hip fractures in nursing homes",
    "osteopenia and a high risk of fractures",
]


@pytest.mark.parametrize("text", NOT_FACTS)
def test_risk_and_question_phrases_state_no_fracture_diagnosis_or_drug(text: str) -> None:
    p = check(text, {"fracture": None, "sites": [], "meds": [], "questions": []})
    assert "osteoporosis_stated" not in p.facts.conditions


@pytest.mark.parametrize("text", [
    "T-score -2.6, fracture at 65", "age 65, T-score -2.6", "wrist fracture at age 65; FN -2.6",
    "FN -2.6, she is 65", "hip fracture 65 years old, T-score -2.6 at the femoral neck",
])
def test_a_number_that_is_not_a_t_score_is_never_asked_back_as_one(text: str) -> None:
    p = parse(text)
    assert not [q for q in p.facts.questions if q.field.startswith(("t_score", "z_score"))], p.facts.questions


# --- 5. fracture mechanism, site and time -------------------------------------------------------------
TRAUMATIC = [
    "wrist fracture in a car crash",
    "fell from a ladder and broke her ankle",
    "hip fracture after a fall from a horse",
    "broke her wrist skiing",
    "fractured her pelvis in a motor vehicle accident",
    "vertebral fracture from a fall off the roof",
    "clavicle fracture, bicycle accident at speed",
    "a traumatic femur fracture",
    "MVA with a rib fracture",
    "humerus fracture playing rugby",
]


@pytest.mark.parametrize("text", TRAUMATIC)
def test_a_traumatic_fracture_is_kept_marked_and_not_counted(text: str) -> None:
    p = check(text, {"fracture": None, "sites": []})
    assert any(m.category == "fracture" and m.detail == "traumatic" for m in p.facts.mentions), text


FRAGILITY = [
    ("wrist fracture after a fall from standing height", ["wrist"]),
    ("fractured her hip tripping on the rug", ["hip"]),
    ("spontaneous vertebral fracture", ["vertebral"]),
    ("low-trauma wrist fracture", ["wrist"]),
    ("hip fracture with no trauma", ["hip"]),
    ("fragility fracture of the humerus", ["humerus"]),
    ("vertebral fracture on imaging", ["vertebral"]),
    ("L1 wedge deformity on x-ray", ["vertebral"]),
    ("height loss of a vertebra on the lateral film", ["vertebral"]),
    ("T12 compression fracture", ["vertebral"]),
    ("anterior wedging of T8", ["vertebral"]),
    ("minimal trauma fracture of the wrist", ["wrist"]),
]


@pytest.mark.parametrize("text, sites", FRAGILITY)
def test_a_fragility_fracture_counts_with_its_site(text: str, sites: list[str]) -> None:
    check(text, {"fracture": True, "sites": sites})


@pytest.mark.parametrize("text, expect", [
    ("denies prior fractures", {"fracture": False}),
    ("no fractures herself or in her parents", {"fracture": False}),
    ("no parental hip fracture", {"fracture": None, "conditions": {"parental_hip_fracture": False}}),
    ("mother broke her hip at 80", {"fracture": None, "conditions": {"parental_hip_fracture": True}}),
    ("no history of fracture", {"fracture": False}),
    ("never had a fracture", {"fracture": False}),
    ("no vertebral compression fractures on imaging", {"fracture": False}),
    ("sister had a wrist fracture", {"fracture": None}),
    ("fracture in the past year", {"fracture": True, "conditions": {"recent_fracture": True}}),
    ("a vertebral fracture while on alendronate",
     {"fracture": True, "conditions": {"fracture_on_therapy": True}}),
    ("wrist fracture 6 months ago", {"fracture": True, "conditions": {"recent_fracture": True}}),
    ("hip fracture at 30", {"fracture": True, "sites": ["hip"]}),
    ("she just broke her hip", {"fracture": True, "conditions": {"recent_fracture": True}}),
    ("has just had a vertebral fracture", {"fracture": True, "conditions": {"recent_fracture": True}}),
    ("just a wrist fracture in 2019", {"fracture": True, "cond.recent_fracture": None}),
    ("just one fracture, of the wrist", {"fracture": True, "cond.recent_fracture": None}),
    ("wrist fracture in the past 2 years", {"fracture": True, "cond.recent_fracture": None}),  # AACE: 12 months
])
def test_negated_family_and_timed_fractures(text: str, expect: dict[str, Any]) -> None:
    check(text, expect)


# --- 6. life stage and conditions ---------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "menstruating regularly", "LMP 3 weeks ago", "still has regular periods", "premenopausal",
    "not yet menopausal", "regular menses", "last menstrual period 2 weeks ago", "pre-menopausal woman",
    "she is not postmenopausal", "still menstruating at 47",
])
def test_premenopausal(text: str) -> None:
    check(text, {"menopause": "pre"})


CONDITIONS = [
    ("ESRD on peritoneal dialysis", {"dialysis", "ckd"}),
    ("CKD stage 4", {"ckd"}),
    ("s/p sleeve gastrectomy", {"bariatric_surgery", "malabsorption"}),
    ("Roux-en-Y gastric bypass in 2015", {"bariatric_surgery", "malabsorption"}),
    ("on letrozole for breast cancer", {"aromatase_inhibitor", "breast_cancer"}),
    ("anastrazole for ER+ breast ca", {"aromatase_inhibitor", "breast_cancer"}),
    ("leuprolide for prostate cancer", {"androgen_deprivation", "prostate_cancer"}),
    ("on ADT (Lupron) for prostate ca", {"androgen_deprivation", "prostate_cancer"}),
    ("history of AFF", {"atypical_femur_fracture"}),
    ("atypical femoral fracture on alendronate", {"atypical_femur_fracture"}),
    ("PHPT", {"hyperparathyroidism"}),
    ("primary hyperparathyroidism", {"hyperparathyroidism"}),
    ("osteomalacia", {"osteomalacia"}),
    ("T2DM on metformin", {"type2_diabetes"}),
    ("type II diabetes", {"type2_diabetes"}),
    ("Cushing's syndrome", {"cushings"}),
    ("exemestane", {"aromatase_inhibitor"}),
    ("goserelin (Zoladex)", {"androgen_deprivation"}),
]


@pytest.mark.parametrize("text, keys", CONDITIONS)
def test_conditions_with_their_abbreviations_brands_and_misspellings(text: str, keys: set[str]) -> None:
    conditions = parse(text).facts.conditions
    assert {k for k, v in conditions.items() if v} == keys, (text, conditions)


@pytest.mark.parametrize("text, stage", [
    ("CKD stage 4", 4), ("CKD G5", 5), ("ESRD", 5), ("stage 3b CKD", 3), ("CKD IV", 4),
    ("end-stage renal disease on dialysis", 5), ("chronic kidney disease stage 2", 2),
])
def test_ckd_stage(text: str, stage: int) -> None:
    assert parse(text).facts.ckd_stage == stage


@pytest.mark.parametrize("text", [
    "on Fosamax", "on fosomax", "alendronate", "alendronic acid", "takes alendronat",
    "on Binosto", "on alendronate sodium", "taking FOSAMAX", "on fosamax plus D", "on alendronate 70 mg weekly",
])
def test_drug_names_brand_generic_misspelled(text: str) -> None:
    p = parse(text if text.startswith(("on", "tak")) else f"on {text}")
    assert [m.name for m in p.facts.medications] == ["alendronate"], text


@pytest.mark.parametrize("text", [
    "how long should she stay on alendronate? she has been on it for 5 years",
    "How long should she continue alendronate? She is on it for 5 yrs now.",
])
def test_a_drug_asked_about_is_the_patients_when_the_text_says_so(text: str) -> None:
    check(text, {"meds": [{"name": "alendronate", "status": "affirmed", "years": 5.0}]})


@pytest.mark.parametrize("text, months", [
    ("prednisone 7.5 mg daily for 6 months", 6.0), ("long-term steroids for 3 years", 36.0),
    ("on prednisone x 2 years", 24.0), ("glucocorticoids for 18 months", 18.0),
])
def test_glucocorticoid_durations(text: str, months: float) -> None:
    check(text, {"gc": True, "gc_months": months})


@pytest.mark.parametrize("text", [
    "a 69-year-old woman with a T-score of -2.3", "an 80 year old man, first DXA: T-score -2.3",
    "T-score -2.3, her last fracture was in 2019", "a 72-year-old with prior wrist fracture, T-score -2.3",
])
def test_a_current_value_is_not_taken_for_an_earlier_one(text: str) -> None:
    p = check(text, {"t_unsited": -2.3})
    assert not _earlier(p)


@pytest.mark.parametrize("text, meds", [
    ("Can a patient with a history of AFF on alendronate be given denosumab?", ["alendronate"]),
    ("should she be switched to zoledronic acid after 5 years of alendronate?", ["alendronate"]),
    ("is she a candidate for romosozumab?", []),
    ("can she take Prolia with her CKD?", []),
    ("start her on teriparatide?", []),
])
def test_a_drug_proposed_is_not_one_she_takes(text: str, meds: list[str]) -> None:
    assert [m.name for m in parse(text).facts.medications] == meds, text
