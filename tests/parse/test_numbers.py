"""Numbers with their meaning: scores by site, dashes, FRAX wordings, labs, doses, durations."""

from __future__ import annotations

import pytest

from tests.parse.conftest import check

SCORES = [
    # sites and abbreviations
    ("FN -1.7", {"t": {"femoral_neck": -1.7}}),
    ("TH -1.1, LS -2.6", {"t": {"total_hip": -1.1, "lumbar_spine": -2.6}}),
    ("fem neck T -2.1", {"t": {"femoral_neck": -2.1}}),
    ("L1-L4 T-score -2.8", {"t": {"lumbar_spine": -2.8}}),
    ("L2-L4: -1.9", {"t": {"lumbar_spine": -1.9}}),
    ("proximal femur T-score -1.4", {"t": {"total_hip": -1.4}}),
    ("33% radius T-score of -2.7", {"t": {"forearm_33": -2.7}}),
    ("1/3 radius -3.1", {"t": {"forearm_33": -3.1}}),
    ("forearm T score -2.6", {"t": {"forearm_33": -2.6}}),
    ("T-score at the hip was -2.2", {"t": {"total_hip": -2.2}}),
    ("hip T-score -2.0", {"t": {"total_hip": -2.0}}),
    ("spine T-score -1.3", {"t": {"lumbar_spine": -1.3}}),
    ("her lumbar spine T score is -2.4", {"t": {"lumbar_spine": -2.4}}),
    ("T-score of -2.9 at the right femoral neck", {"t": {"femoral_neck": -2.9}}),
    ("T-score -1.8 (femoral neck)", {"t": {"femoral_neck": -1.8}}),
    # dashes and signs
    ("T\u2011score \u20131.7 at the femoral neck", {"t": {"femoral_neck": -1.7}}),
    ("femoral neck T-score \u22122.3", {"t": {"femoral_neck": -2.3}}),
    ("femoral neck T-score \u20122.3", {"t": {"femoral_neck": -2.3}}),
    ("femoral neck T-score \u2010 2.3", {"t": {"femoral_neck": -2.3}}),
    ("spine T score minus 2.5", {"t": {"lumbar_spine": -2.5}}),
    ("T score of -1.7 SD at the hip", {"t": {"total_hip": -1.7}}),
    ("femoral neck T-score +0.4", {"t": {"femoral_neck": 0.4}}),
    ("T-score\u00a0-2.1 at the spine", {"t": {"lumbar_spine": -2.1}}),
    # paired lists and several values
    ("T-scores of -1.2 and -2.0 at the spine and femoral neck",
     {"t": {"lumbar_spine": -1.2, "femoral_neck": -2.0}}),
    ("T-scores -2.6, -1.9 and -2.2 at the spine, total hip and femoral neck respectively",
     {"t": {"lumbar_spine": -2.6, "total_hip": -1.9, "femoral_neck": -2.2}}),
    ("spine and hip T-scores of -2.1 and -1.6", {"t": {"lumbar_spine": -2.1, "total_hip": -1.6}}),
    ("left FN -2.1, right FN -2.4", {"t": {"femoral_neck": -2.4}, "notes": ["several_values_lowest_used"]}),
    ("T-scores of -2.6 and -2.9 at the right and left femoral neck",
     {"t": {"femoral_neck": -2.9}, "notes": ["several_values_lowest_used"]}),
    # unsited, Z-scores, ranges, inequalities
    ("a T-score of -2.7", {"t": {}, "t_unsited": -2.7}),
    ("Z-score -2.3 at the spine", {"z": {"lumbar_spine": -2.3}, "t": {}}),
    ("a -2.4 Z score on her scan", {"z_unsited": -2.4, "t_unsited": None}),
    ("osteopenia means a T-score -1.0 to -2.5", {"t": {}, "t_unsited": None}),
    ("T-score between -1 and -2.5 at the femoral neck", {"t": {}, "t_unsited": None}),
    ("T-score <= -2.0 at the spine", {"t": {}}),
    ("T-score \u2264 \u22122.5", {"t_unsited": None}),
    ("T-score below -2.5 at the hip", {"t": {}}),
    # a DXA report's layout: the site, its raw BMD, then its T-score (the BMD is not read as a score)
    ("raw BMD at the femoral neck 0.612 g/cm2, T-score -2.2",
     {"t_unsited": None, "t": {"femoral_neck": -2.2}}),
    ("Left femoral neck BMD 0.612 g/cm2, T-score -2.3, Z-score -1.1",
     {"t": {"femoral_neck": -2.3}, "z": {"femoral_neck": -1.1}}),
    ("femoral neck BMD 0.701 g/cm\u00b2", {"t": {}, "t_unsited": None}),
    # implausible values
    ("femoral neck T-score +9", {"t": {}, "questions": ["t_scores.femoral_neck"]}),
    ("T-score -12 at the spine", {"t": {}, "questions": ["t_scores.lumbar_spine"]}),
]

FRAX = [
    ("FRAX 11/1.4", {"frax": {"major": 11.0, "hip": 1.4}}),
    ("FRAX 11%/1.4%", {"frax": {"major": 11.0, "hip": 1.4}}),
    ("MOF 11% / hip 1.4%", {"frax": {"major": 11.0, "hip": 1.4}}),
    ("FRAX MOF 22%, hip 3.1%", {"frax": {"major": 22.0, "hip": 3.1}}),
    ("FRAX major 9.5 hip 0.8", {"frax": {"major": 9.5, "hip": 0.8}}),
    ("10-year probability of 15% for a major osteoporotic fracture and 2.5% for hip fracture",
     {"frax": {"major": 15.0, "hip": 2.5}, "fracture": None}),
    ("a 10-year hip fracture risk of 3.6%", {"frax": {"hip": 3.6, "major": None}, "fracture": None}),
    ("major osteoporotic fracture risk 18%", {"frax": {"major": 18.0, "hip": None}}),
    ("FRAX score of 12% and 2%", {"frax": {"major": 12.0, "hip": 2.0}}),
    ("FRAX: 8.9% major, 1.1% hip", {"frax": {"major": 8.9, "hip": 1.1}}),
    ("FRAX 25% (major) and 4% (hip)", {"frax": {"major": 25.0, "hip": 4.0}}),
    ("a 9% and 12% probability of major osteoporotic fracture",
     {"frax": {"major": 12.0, "hip": None}, "notes": ["several_values_highest_used"]}),
    ("FRAX 14%", {"frax": {"major": 14.0, "hip": None}, "notes": ["frax_unlabelled_read_as_major"]}),
    ("FRAX >= 10% for major fracture", {"frax": None}),
    ("hip fracture probability of at least 3%", {"frax": None}),
    ("FRAX MOF 140%", {"frax": None, "questions": ["frax.major"]}),
    ("with the FRAX showing 16 percent for MOF and 2.2 percent for hip", {"frax": {"major": 16.0, "hip": 2.2}}),
]

LABS = [
    ("eGFR 32", {"egfr": 32.0, "crcl": False}),
    ("eGFR of 45 mL/min/1.73m2", {"egfr": 45.0}),
    ("CrCl 28 mL/min", {"egfr": 28.0, "crcl": True}),
    ("creatinine clearance of 33", {"egfr": 33.0, "crcl": True}),
    ("GFR is 60", {"egfr": 60.0}),
    ("estimated GFR (eGFR) of 41", {"egfr": 41.0}),
    ("eGFR 900", {"egfr": None, "questions": ["egfr"]}),
    ("eGFR < 35", {"egfr": None, "questions": []}),
    ("25-OH vitamin D 18 ng/mL", {"vitd": 18.0}),
    ("vitamin D level of 50 nmol/L", {"vitd": 20.0}),
    ("25(OH)D 75 nmol/l", {"vitd": 30.0}),
    ("vit D 24", {"vitd": 24.0}),
    ("vitamin D -5", {"vitd": None, "questions": ["vitamin_d"]}),
    ("vitamin D 800 IU daily", {"vitd": None}),
    ("serum calcium 9.4 mg/dL", {"calcium": 9.4}),
    ("calcium 2.2 mmol/L", {"calcium": 8.8}),
    ("calcium 1200 mg a day", {"calcium": None}),
    ("PTH 88 pg/mL", {"pth": 88.0}),
    ("TSH 0.02", {"tsh": 0.02}),
]

DOSES = [
    ("prednisone 7.5 mg daily for 6 months", {"gc": True, "gc_dose": 7.5, "gc_months": 6.0}),
    ("on pred 10 mg x 4 mo", {"gc": True, "gc_dose": 10.0, "gc_months": 4.0}),
    ("5 mg of prednisolone a day for 2 years", {"gc": True, "gc_dose": 5.0}),
    ("taking prednisone 20 mg/day", {"gc": True, "gc_dose": 20.0}),
    ("prednisone >= 5 mg/day for >= 3 months", {"gc": True, "gc_dose": None, "gc_months": None}),
    ("alendronate for 5 years", {"meds": [{"name": "alendronate", "status": "affirmed", "years": 5.0}]}),
    ("on Prolia since 2019", {"meds": [{"name": "denosumab", "status": "affirmed", "since": 2019}]}),
    ("last Reclast 2022", {"meds": [{"name": "zoledronic_acid", "status": "affirmed", "last": 2022}]}),
    ("after 4 years of risedronate", {"meds": [{"name": "risedronate", "status": "affirmed", "years": 4.0}]}),
    ("has been taking Fosamax for 7 yrs", {"meds": [{"name": "alendronate", "status": "affirmed", "years": 7.0}]}),
    ("previously on alendronate for 5 years",
     {"meds": [{"name": "alendronate", "status": "historical", "years": 5.0}]}),
    ("is Forteo an option?", {"meds": []}),
]


@pytest.mark.parametrize(("text", "expect"), SCORES, ids=[c[0][:50] for c in SCORES])
def test_scores(text: str, expect: dict) -> None:
    check(text, expect)


@pytest.mark.parametrize(("text", "expect"), FRAX, ids=[c[0][:50] for c in FRAX])
def test_frax(text: str, expect: dict) -> None:
    check(text, expect)


@pytest.mark.parametrize(("text", "expect"), LABS, ids=[c[0][:50] for c in LABS])
def test_labs(text: str, expect: dict) -> None:
    check(text, expect)


@pytest.mark.parametrize(("text", "expect"), DOSES, ids=[c[0][:50] for c in DOSES])
def test_doses_and_durations(text: str, expect: dict) -> None:
    check(text, expect)


DOUBTS = [
    ("FRAX major 4%, hip 6%", {"frax": None, "questions": ["frax"]}),
    ("osteopenia, T-score 1.6 at the femoral neck", {"t": {}, "questions": ["t_scores.femoral_neck"]}),
    ("osteopenia, T-score +0.2 at the spine and -1.6 at the femoral neck",
     {"t": {"lumbar_spine": 0.2, "femoral_neck": -1.6}, "questions": []}),
    ("No prior fracture. She broke her wrist last year.",
     {"fracture": None, "contradictions": ["prior_fragility_fracture"]}),
    ("no hip fracture, but a wrist fracture in 2019", {"fracture": True, "sites": ["wrist"], "contradictions": []}),
    ("T -1.8 femoral neck", {"t": {"femoral_neck": -1.8}}),
    ("FRAX: major osteoporotic fracture 12%, hip fracture 2.1%. No prior fracture.",
     {"frax": {"major": 12.0, "hip": 2.1}, "fracture": False}),
]

TABLE = (
    "Region            BMD (g/cm2)   T-score   Z-score\n"
    "L1-L4             0.912         -1.9      -0.6\n"
    "Left femoral neck 0.701         -2.1      -0.8\n"
)


@pytest.mark.parametrize(("text", "expect"), DOUBTS, ids=[c[0][:50] for c in DOUBTS])
def test_values_that_cannot_be_true_are_asked_back(text: str, expect: dict) -> None:
    check(text, expect)


def test_report_table_columns_are_read_in_order() -> None:
    check(TABLE, {"t": {"lumbar_spine": -1.9, "femoral_neck": -2.1}, "z": {"lumbar_spine": -0.6, "femoral_neck": -0.8}})
