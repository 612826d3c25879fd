"""Known misreadings, fixed: each phrase in, the facts or intent a clinician would read out."""

from __future__ import annotations

import pytest

from assistant.parse import parse
from tests.parse.conftest import check

# 1. Short follow-ups ask for one section, not the whole plan.
FOCUSED = [
    ("what about vitamin D?", "supplements"),
    ("what about calcium?", "supplements"),
    ("What about Vit D?", "supplements"),
    ("and vitamin D?", "supplements"),
    ("how about calcium and vitamin D?", "supplements"),
    ("what about supplements?", "supplements"),
    ("and the labs?", "labs_workup"),
    ("what about labs?", "labs_workup"),
    ("dose?", "dose"),
    ("how long?", "drug_holiday_or_duration"),
    ("which drug?", "drug_choice"),
    ("when to repeat DXA?", "monitoring_interval"),
    ("what about her kidneys?", "renal_dosing"),
    ("what about alendronate?", "drug_choice"),
    ("next DXA?", "monitoring_interval"),
    ("first line?", "drug_choice"),
    ("second line?", "drug_choice"),
    ("vit D dose?", "supplements"),
    ("what about exercise?", "management_overall"),
    ("what about steroids?", "glucocorticoid"),
]


def test_what_about_a_drug_or_condition_does_not_say_the_patient_has_it() -> None:
    check("what about steroids?", {"gc": None})
    check("what about alendronate?", {"meds": []})
    check("what about smoking?", {"conditions": {}})


@pytest.mark.parametrize(("text", "want"), FOCUSED, ids=[c[0] for c in FOCUSED])
def test_short_follow_up_asks_for_its_section(text: str, want: str) -> None:
    check(text, {"intent": want})


def test_a_vitamin_d_level_is_a_fact_not_a_question() -> None:
    check("her vitamin D is 12 ng/mL", {"intent": "facts_only", "vitd": 12.0})


# 2. A FRAX label before the number, with words between ("is actually", "is now").
FRAX_LABELS = [
    ("FRAX hip is actually 3.5%", {"frax": {"major": None, "hip": 3.5}, "correction": True, "notes": []}),
    ("her hip FRAX is 2.1%", {"frax": {"major": None, "hip": 2.1}}),
    ("hip fracture risk 2.8%", {"frax": {"major": None, "hip": 2.8}}),
    ("FRAX (hip) 3%", {"frax": {"major": None, "hip": 3.0}}),
    ("the hip FRAX is now 3.2%", {"frax": {"major": None, "hip": 3.2}}),
    ("FRAX major is actually 22%", {"frax": {"major": 22.0, "hip": None}, "correction": True}),
    ("actually, FRAX hip 3.5%", {"frax": {"major": None, "hip": 3.5}, "correction": True}),
    ("FRAX 15% major and 2% hip", {"frax": {"major": 15.0, "hip": 2.0}, "correction": False}),
    # a label right after the value
    ("FRAX 3% hip", {"frax": {"major": None, "hip": 3.0}, "notes": []}),
    ("11% major, 1.4% hip", {"frax": {"major": 11.0, "hip": 1.4}}),
    ("FRAX 1.4% hip, 11% major", {"frax": {"major": 11.0, "hip": 1.4}, "questions": []}),
    ("FRAX 12% (MOF) and 2% (hip)", {"frax": {"major": 12.0, "hip": 2.0}}),
    ("a 40% hip fracture reduction", {"frax": None}),
    ("FRAX 15/2.1, hip -1.6", {"frax": {"major": 15.0, "hip": 2.1}, "t": {"total_hip": -1.6}}),
    # paired labels, then paired values
    ("FRAX (MOF/hip) 11/1.4", {"frax": {"major": 11.0, "hip": 1.4}, "questions": []}),
    ("FRAX MOF/HF 11/1.4", {"frax": {"major": 11.0, "hip": 1.4}}),
    ("FRAX hip/major 1.4/11", {"frax": {"major": 11.0, "hip": 1.4}, "notes": []}),
    ("FRAX w/ BMD: 11 / 1.4", {"frax": {"major": 11.0, "hip": 1.4}}),
    ("FRAX score 11 and 1.4", {"frax": {"major": 11.0, "hip": 1.4}}),
]


def test_raw_bmd_after_bmd_is_not_a_t_score() -> None:
    check("femoral neck BMD 0.612, FRAX 11/1.4",
          {"t": {}, "t_unsited": None, "frax": {"major": 11.0, "hip": 1.4}})


@pytest.mark.parametrize(("text", "expect"), FRAX_LABELS, ids=[c[0] for c in FRAX_LABELS])
def test_frax_label_before_its_number(text: str, expect: dict) -> None:
    check(text, expect)


# 3. ... also inside a what-if.
WHAT_IF_FRAX = [
    ("what if his hip FRAX were 2%?", {"frax": None, "hypo": {"frax": {"major": None, "hip": 2.0}}}),
    ("and if her hip FRAX was 4%?", {"frax": None, "hypo": {"frax": {"major": None, "hip": 4.0}}}),
    ("what if the major FRAX were 25%?", {"frax": None, "hypo": {"frax": {"major": 25.0, "hip": None}}}),
    ("what if the hip fracture risk were 4%?", {"frax": None, "hypo": {"frax": {"major": None, "hip": 4.0}}}),
    # a condition on the patient, without "what": still a what-if, not a fact
    ("if her FRAX hip were 3.5% would you treat?",
     {"frax": None, "hypo": {"frax": {"major": None, "hip": 3.5}}, "intent": "treat_or_not"}),
    ("if her eGFR were 30, which drug?", {"egfr": None, "hypo": {"egfr": 30.0}}),
    ("she is 67. if she had a vertebral fracture, would you treat?",
     {"age": 67, "fracture": None, "hypo": {"fracture": True, "sites": ["vertebral"]}}),
    # an ordinary condition ("if she has", "if her eGFR is") describes the patient asked about
    ("if her eGFR is 25, which drug?", {"egfr": 25.0, "no_hypo": True}),
    ("management of a 70-year-old woman with osteoporosis if she has CKD stage 4 (eGFR 25)?",
     {"age": 70, "egfr": 25.0, "no_hypo": True}),
]


@pytest.mark.parametrize(("text", "expect"), WHAT_IF_FRAX, ids=[c[0] for c in WHAT_IF_FRAX])
def test_what_if_frax_keeps_its_label(text: str, expect: dict) -> None:
    check(text, expect)


# 4. Another clinical topic, even with a patient, is out of scope; with a bone concept it is not.
@pytest.mark.parametrize(
    "text",
    [
        "55-year-old man with crushing chest pain and ST elevation",
        "55-year-old man with crushing chest pain and ST elevation, what should I do?",
        "70 year old woman with pneumonia, which antibiotic?",
        # risk factors and body parts alone do not make bone health the topic
        "55-year-old man with STEMI and chest pain, what now?",
        "67F smoker with pneumonia, which antibiotic?",
        "chest pain radiating to the left shoulder in a 60 year old man",
        "what's the dose of prednisone for asthma?",
    ],
)
def test_other_topic_with_a_patient_is_out_of_scope_and_states_no_patient(text: str) -> None:
    # the patient of another topic is not put into the bone-health conversation
    check(text, {"intent": "out_of_scope", "age": None, "sex": None})


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("55-year-old man with osteopenia and chest pain", {"age": 55, "cond.osteopenia_stated": True}),
        ("55-year-old man with chest pain, FN T-score -2.6", {"age": 55, "t": {"femoral_neck": -2.6}}),
        ("72F on alendronate with pneumonia", {"age": 72, "meds": [{"name": "alendronate", "status": "affirmed"}]}),
        ("bone protection for a patient on prednisone for asthma", {"gc": True}),
        ("hip pain in a 70 year old with hypertension", {"age": 70}),
        ("67F smoker with COPD", {"age": 67, "cond.smoking": True}),  # a note: the risk factor is hers
    ],
)
def test_other_topic_beside_a_bone_concept_stays_in_scope(text: str, expect: dict) -> None:
    p = check(text, expect)
    assert p.intent.value != "out_of_scope"


# 5. A negation does not reach past a comma into a new clause about someone else (and back).
NEGATION_SCOPE = [
    ("72 year old woman, no prior fracture, her mother broke her hip",
     {"age": 72, "fracture": False, "cond.parental_hip_fracture": True}),
    ("her mother broke her hip, no prior fracture", {"fracture": False, "cond.parental_hip_fracture": True}),
    ("no fractures, mother had a hip fracture", {"fracture": False, "cond.parental_hip_fracture": True}),
    ("no fracture, she smokes", {"fracture": False, "cond.smoking": True}),
    ("no parental hip fracture", {"fracture": None, "cond.parental_hip_fracture": False}),
    ("parental hip fracture", {"fracture": None, "cond.parental_hip_fracture": True}),
    ("denies smoking, alcohol or falls",
     {"cond.smoking": False, "cond.alcohol_excess": False, "cond.falls": False}),
    ("no prior fx, no GC, nonsmoker", {"fracture": False, "gc": False, "cond.smoking": False}),
    ("no prior fracture and her mother broke her hip", {"fracture": False, "cond.parental_hip_fracture": True}),
    ("denies prior fracture; mother with hip fx", {"fracture": False, "cond.parental_hip_fracture": True,
                                                   "contradictions": []}),
    ("no fracture and she smokes", {"fracture": False, "cond.smoking": True}),
    ("denies smoking and alcohol", {"cond.smoking": False, "cond.alcohol_excess": False}),
    ("sister had a wrist fracture, no prior fracture", {"fracture": False, "sites": []}),
    ("osteoporosis, mother had a hip fracture",
     {"cond.osteoporosis_stated": True, "cond.parental_hip_fracture": True}),
]


@pytest.mark.parametrize(("text", "expect"), NEGATION_SCOPE, ids=[c[0][:50] for c in NEGATION_SCOPE])
def test_negation_and_family_stay_in_their_clause(text: str, expect: dict) -> None:
    check(text, expect)


# 6. An implausible score is asked back at the site it was said for.
IMPLAUSIBLE_AT_SITE = [
    ("T-score -15 at the spine", {"t": {}, "questions": ["t_scores.lumbar_spine"]}),
    ("T-score -15 at the spine, hip -1.0", {"t": {"total_hip": -1.0}, "questions": ["t_scores.lumbar_spine"]}),
    ("T-score -1.0 at the hip, -15 at the spine",
     {"t": {"total_hip": -1.0}, "questions": ["t_scores.lumbar_spine"]}),
    ("spine -15, hip -1.0", {"t": {"total_hip": -1.0}, "questions": ["t_scores.lumbar_spine"]}),
]


@pytest.mark.parametrize(("text", "expect"), IMPLAUSIBLE_AT_SITE, ids=[c[0] for c in IMPLAUSIBLE_AT_SITE])
def test_implausible_score_is_questioned_at_its_site(text: str, expect: dict) -> None:
    check(text, expect)


# 7. Terse "site value" is a T-score at that site (a Z-score only when "Z" is said).
SITE_THEN_VALUE = [
    ("femoral neck -2.7", {"t": {"femoral_neck": -2.7}, "z": {}}),
    ("FN -2.7", {"t": {"femoral_neck": -2.7}}),
    ("LS -3.1", {"t": {"lumbar_spine": -3.1}}),
    ("TH -1.9", {"t": {"total_hip": -1.9}}),
    ("FN -2.7, no fracture", {"t": {"femoral_neck": -2.7}, "fracture": False}),
    ("58F T -2.4 LS, -1.1 TH", {"t": {"lumbar_spine": -2.4, "total_hip": -1.1}, "notes": []}),
    ("FN Z -2.1", {"z": {"femoral_neck": -2.1}, "t": {}}),
    ("DXA: femoral neck -2.7 (Z -1.0)", {"t": {"femoral_neck": -2.7}, "z": {"femoral_neck": -1.0}}),
    ("FN and TH -2.1 and -1.8", {"t": {"femoral_neck": -2.1, "total_hip": -1.8}, "notes": []}),
    ("her femoral neck was -2.7", {"t": {"femoral_neck": -2.7}}),
    ("left femoral neck -2.7, right -2.4", {"t": {"femoral_neck": -2.7}}),
    ("T-score -2.6 at the spine and hip", {"t": {}, "t_unsited": -2.6}),  # one value, two sites: no guess
]


@pytest.mark.parametrize(("text", "expect"), SITE_THEN_VALUE, ids=[c[0] for c in SITE_THEN_VALUE])
def test_site_then_bare_value_is_a_t_score(text: str, expect: dict) -> None:
    check(text, expect)


# 8. A site word that labels a FRAX value is not a site mention (nor a fracture).
@pytest.mark.parametrize(
    "text",
    ["FRAX 11% major, 1.4% hip", "FRAX hip is actually 3.5%", "hip fracture risk 2.8%",
     "She is 67; FRAX 11% major, 1.4% hip.", "10-year probability of hip fracture 2.1%"],
)
def test_frax_label_is_not_a_site_or_fracture_mention(text: str) -> None:
    p = parse(text)
    assert p.facts.frax is not None and p.facts.frax.hip is not None
    kinds = [(m.concept, m.status.value) for m in p.facts.mentions if m.category in ("site", "fracture")]
    assert kinds == [], kinds
    assert p.facts.prior_fragility_fracture is None


def test_a_site_that_is_measured_still_is_a_mention() -> None:
    p = parse("FN -2.7, FRAX 11% major, 1.4% hip")
    assert [m.concept for m in p.facts.mentions if m.category == "site"] == ["femoral_neck"]
