"""Terse clinician shorthand ("67F, FN -1.7, FRAX 11/1.4"): every fact a clinician would read.

Each note is written the way a busy clinician types it; the expectation lists what a colleague
reading it would take from it, and (where it matters) what they would not.
"""

from __future__ import annotations

import pytest

from tests.parse.conftest import check

ALENDRONATE_5Y = [{"name": "alendronate", "status": "affirmed", "years": 5.0}]

TERSE = [
    ("67F, FN -1.7, FRAX 11/1.4",
     {"age": 67, "sex": "female", "t": {"femoral_neck": -1.7}, "frax": {"major": 11.0, "hip": 1.4},
      "fracture": None, "intent": "facts_only"}),
    ("58 yo M, LS -2.6, eGFR 28, on pred 10 mg x 6 mo",
     {"age": 58, "sex": "male", "t": {"lumbar_spine": -2.6}, "egfr": 28.0, "gc": True, "gc_dose": 10.0,
      "gc_months": 6.0, "intent": "facts_only"}),
    ("postmenopausal 61F TH -2.1 FN -2.3 prior wrist fx",
     {"age": 61, "sex": "female", "menopause": "post", "t": {"total_hip": -2.1, "femoral_neck": -2.3},
      "fracture": True, "sites": ["wrist"], "conditions": {}}),
    ("72M T -2.8 hip, vit D 18",
     {"age": 72, "sex": "male", "t": {"total_hip": -2.8}, "vitd": 18.0, "fracture": None}),
    ("81 F, TH -2.6, hx hip fx, eGFR 25",
     {"age": 81, "sex": "female", "t": {"total_hip": -2.6}, "fracture": True, "sites": ["hip"], "egfr": 25.0}),
    ("55M LS -2.9 on pred 20 mg x 4 mo",
     {"age": 55, "sex": "male", "t": {"lumbar_spine": -2.9}, "gc": True, "gc_dose": 20.0, "gc_months": 4.0}),
    ("63 yo F, FN -2.2, TH -1.8, FRAX 14/2.6, no fx",
     {"age": 63, "t": {"femoral_neck": -2.2, "total_hip": -1.8}, "frax": {"major": 14.0, "hip": 2.6},
      "fracture": False}),
    ("59F LS -1.9 FN -1.2 FRAX 6.5/0.7 smoker",
     {"age": 59, "t": {"lumbar_spine": -1.9, "femoral_neck": -1.2}, "frax": {"major": 6.5, "hip": 0.7},
      "conditions": {"smoking": True}, "notes": []}),
    ("64F LS -2.0 FN -1.5 FRAX 9.8/1.2",
     {"age": 64, "t": {"lumbar_spine": -2.0, "femoral_neck": -1.5}, "frax": {"major": 9.8, "hip": 1.2}}),
    ("76F prior vert fx, T -2.1 FN, on alendronate x 6 yrs",
     {"age": 76, "t": {"femoral_neck": -2.1}, "fracture": True, "sites": ["vertebral"],
      "meds": [{"name": "alendronate", "status": "affirmed", "years": 6.0}]}),
    ("70F with vert fx, LS -2.2",
     {"age": 70, "t": {"lumbar_spine": -2.2}, "fracture": True, "sites": ["vertebral"]}),
    ("68M, FN -2.4, TH -2.0, vit D 14, Ca 9.1",
     {"age": 68, "sex": "male", "t": {"femoral_neck": -2.4, "total_hip": -2.0}, "vitd": 14.0, "calcium": 9.1}),
    ("70F s/p wrist fx 2019, FN -2.0, FRAX 18/3.4",
     {"age": 70, "t": {"femoral_neck": -2.0}, "frax": {"major": 18.0, "hip": 3.4}, "fracture": True,
      "sites": ["wrist"]}),
    ("52F premenopausal, Z -2.3 LS",
     {"age": 52, "menopause": "pre", "z": {"lumbar_spine": -2.3}, "t": {}, "t_unsited": None}),
    ("84F, TH -3.2, CrCl 28, mother hip fx",
     {"age": 84, "t": {"total_hip": -3.2}, "egfr": 28.0, "crcl": True, "fracture": None,
      "conditions": {"parental_hip_fracture": True}}),
    ("66F FN -1.6 LS -2.4, RA, FRAX 16/2.2",
     {"age": 66, "t": {"femoral_neck": -1.6, "lumbar_spine": -2.4}, "frax": {"major": 16.0, "hip": 2.2},
      "conditions": {"rheumatoid_arthritis": True}}),
    ("73F, denosumab since 2018, FN -2.8",
     {"age": 73, "t": {"femoral_neck": -2.8}, "meds": [{"name": "denosumab", "status": "affirmed", "since": 2018}]}),
    ("69F FN -2.5 TH -2.1 25-OH D 22 ng/mL",
     {"age": 69, "t": {"femoral_neck": -2.5, "total_hip": -2.1}, "vitd": 22.0}),
    ("75F, hx wrist fx, FN T -2.2, 25OHD 35 nmol/L",
     {"age": 75, "t": {"femoral_neck": -2.2}, "fracture": True, "sites": ["wrist"], "vitd": 14.0,
      "questions": []}),
    ("60F, LS -2.7, TSH 0.1, PTH 88",
     {"age": 60, "t": {"lumbar_spine": -2.7}, "tsh": 0.1, "pth": 88.0}),
    ("78F, fell x2 this yr, FN -2.3, FRAX 24/5.1",
     {"age": 78, "t": {"femoral_neck": -2.3}, "frax": {"major": 24.0, "hip": 5.1}, "conditions": {"falls": True}}),
    ("65 y/o F, T-score FN -1.9, FRAX MOF 9%, hip 1.1%",
     {"age": 65, "sex": "female", "t": {"femoral_neck": -1.9}, "frax": {"major": 9.0, "hip": 1.1}}),
    ("62F, FN \u22122.1 / TH \u22121.7 / LS \u22122.9",
     {"age": 62, "t": {"femoral_neck": -2.1, "total_hip": -1.7, "lumbar_spine": -2.9}, "notes": []}),
    ("80F, last Reclast 2021, FN -2.9, eGFR 33",
     {"age": 80, "t": {"femoral_neck": -2.9}, "egfr": 33.0,
      "meds": [{"name": "zoledronic_acid", "status": "affirmed", "last": 2021}]}),
    ("74F FN -1.8, pred 5 mg daily x 1 yr, FRAX 12/1.9",
     {"age": 74, "t": {"femoral_neck": -1.8}, "gc": True, "gc_dose": 5.0, "gc_months": 12.0,
      "frax": {"major": 12.0, "hip": 1.9}}),
    ("61F TH -1.4, FN -2.0, prior humerus fx, no steroids",
     {"age": 61, "t": {"total_hip": -1.4, "femoral_neck": -2.0}, "fracture": True, "sites": ["humerus"],
      "gc": False}),
    ("72F s/p hip fx, TH -2.0",
     {"age": 72, "t": {"total_hip": -2.0}, "fracture": True, "sites": ["hip"]}),
    ("FHx hip fx (mother), 60F, FN -1.9",
     {"age": 60, "t": {"femoral_neck": -1.9}, "fracture": None, "conditions": {"parental_hip_fracture": True}}),
    ("MOF 15, HF 2.9", {"frax": {"major": 15.0, "hip": 2.9}}),
    ("on Fosamax 70 mg weekly x 5y, 70F, FN -2.0",
     {"age": 70, "t": {"femoral_neck": -2.0}, "meds": ALENDRONATE_5Y}),
    ("58F T -2.4 LS, -1.1 TH", {"age": 58, "t": {"lumbar_spine": -2.4, "total_hip": -1.1}}),
    ("no prior fx, no GC, nonsmoker, 66F, FN -1.6",
     {"age": 66, "t": {"femoral_neck": -1.6}, "fracture": False, "gc": False, "conditions": {"smoking": False}}),
    ("mom w/ hip fx, 64F FN -2.0",
     {"age": 64, "t": {"femoral_neck": -2.0}, "fracture": None, "conditions": {"parental_hip_fracture": True}}),
    ("79M FN -3.1, CrCl 29 ml/min", {"age": 79, "sex": "male", "t": {"femoral_neck": -3.1}, "egfr": 29.0}),
    ("DXA: FN -2.0, TH -1.6, LS -2.6; 68F",
     {"age": 68, "t": {"femoral_neck": -2.0, "total_hip": -1.6, "lumbar_spine": -2.6}}),
]


@pytest.mark.parametrize(("text", "expect"), TERSE, ids=[c[0][:60] for c in TERSE])
def test_terse_note(text: str, expect: dict) -> None:
    check(text, expect)
