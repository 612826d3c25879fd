"""How clinicians and patients write (the probe set's lessons, tests/probes): each phrase in, the facts out.

Every case here failed before the change that made it pass (decimal commas, one-line DXA tables, a site's
BMD before its T-score, ages in letters and portal messages, list marks, body size, ...), except the guards
(marked so) that keep a change from reading too much."""

from __future__ import annotations

import pytest

from tests.parse.conftest import check

CASES = [
    # numbers as written: decimal commas, a label glued to its minus, a list's marks
    ("58 yo F, LS T -1,8, FN T=-2,1", {"t": {"lumbar_spine": -1.8, "femoral_neck": -2.1}}),
    ("57F, FRAX 8,5 / 0,9", {"frax": {"major": 8.5, "hip": 0.9}}),
    ("70F t-score neg 2.5 at the hip", {"t": {"total_hip": -2.5}}),
    ("70F FN t=\u22122\u00b76", {"t": {"femoral_neck": -2.6}}),
    ("70F, T-score 2.6 SD below the young adult mean at the femoral neck", {"t": {"femoral_neck": -2.6}}),
    ("1,200 mg calcium, L1,2 wedge fracture", {"t": {}, "frax": None}),  # guard
    ("F/67 FN-2.2 TH-1.8 LS-2.0", {"age": 67, "sex": "female",
                                   "t": {"femoral_neck": -2.2, "total_hip": -1.8, "lumbar_spine": -2.0}}),
    ("1. 71 yo woman 2. osteopenia, FN -2.2 3. FRAX 20.5% major, 2.6% hip 4. eGFR 55",
     {"frax": {"major": 20.5, "hip": 2.6}, "egfr": 55.0}),
    ("63yoF FN -1.9 FRAX10/1", {"age": 63, "sex": "female", "frax": {"major": 10.0, "hip": 1.0}}),
    ("68F, FN T-score maybe -2.4? FRAX roughly 22/3.5", {"frax": {"major": 22.0, "hip": 3.5}}),
    ("70F with FN T-score -2.2 and FRAX hip >= 3% (3.3%), MOF 14%", {"frax": {"major": 14.0, "hip": 3.3}}),
    ("FRAX score 25 (hip 3.9) in a 77-year-old woman", {"frax": {"major": 25.0, "hip": 3.9}}),
    ("MOFR 15%, hip 2.4%", {"frax": {"major": 15.0, "hip": 2.4}}),
    ("a 3.3% 10-year hip fracture risk", {"frax": {"major": None, "hip": 3.3}}),
    ("12% 10-year major osteoporotic fracture risk and 2% hip", {"frax": {"major": 12.0, "hip": 2.0}}),
    ("61F: risk of hip fracture over 10 years 3.5 per cent, MOF 12 per cent", {"frax": {"major": 12.0, "hip": 3.5}}),
    ("DEXA 2 yrs ago FN -1.9, now FN -2.2; FRAX now 18/2.5", {"frax": {"major": 18.0, "hip": 2.5},
                                                              "t": {"femoral_neck": -2.2}}),
    # DXA reports: the site, its BMD, then its scores; tables pasted on one line
    ("Lumbar spine (L1-L4) BMD 0.845 g/cm2, T-score -2.8, Z-score -1.5. Femoral neck T-score -1.9.",
     {"t": {"lumbar_spine": -2.8, "femoral_neck": -1.9}, "z": {"lumbar_spine": -1.5}}),
    ("Right femoral neck: BMD 0.701 g/cm\u00b2, T \u22121.5, Z \u22120.3. Right total hip: T \u22121.1.",
     {"t": {"femoral_neck": -1.5, "total_hip": -1.1}, "z": {"femoral_neck": -0.3}}),
    ("Region / BMD / T-score / Z-score L1-L4 0.901 -1.9 -0.8 Left FN 0.655 -1.8 -0.6 Left TH 0.790 -1.2 -0.2",
     {"t": {"lumbar_spine": -1.9, "femoral_neck": -1.8, "total_hip": -1.2},
      "z": {"lumbar_spine": -0.8, "femoral_neck": -0.6, "total_hip": -0.2}}),
    ("total left femur T score -1.5", {"t": {"total_hip": -1.5}}),
    ("Left hip: neck T -1.9, total T -1.4", {"t": {"femoral_neck": -1.9, "total_hip": -1.4}}),
    ("Left Femur: Neck -2.2, Total -1.7", {"t": {"femoral_neck": -2.2, "total_hip": -1.7}}),
    ("Dual Femur Neck Mean -1.8 Total Mean -1.5", {"t": {"femoral_neck": -1.8, "total_hip": -1.5}}),
    ("neck pain, FN -2.0 TH -1.5", {"t": {"femoral_neck": -2.0, "total_hip": -1.5}}),  # guard
    ("a DEXA scan last month showing a T-score of -2.2 at the femoral neck", {"t": {"femoral_neck": -2.2}}),
    ("my dexa t-score was -2.0 at my hip, and -1.9 in my spine", {"t": {"total_hip": -2.0, "lumbar_spine": -1.9}}),
    ("her spine was -2.7 but the hips were fine (-0.9)", {"t": {"lumbar_spine": -2.7, "total_hip": -0.9}}),
    ("my bone density T score is -2.4 in my hip and -2.6 in my back",
     {"t": {"total_hip": -2.4, "lumbar_spine": -2.6}}),
    ("my t-scores are: hip -1.2 and lower back -1.5", {"t": {"total_hip": -1.2, "lumbar_spine": -1.5}}),
    ("70F LS -2.1 \u2192 -2.4 (2023 \u2192 2025)", {"t": {"lumbar_spine": -2.4}}),
    ("70F FN -2.0 -> -2.3 over 2 yrs", {"t": {"femoral_neck": -2.3}}),
    ("70F, T-scores ranged from -2.1 at the hip to -2.6 at the spine",
     {"t": {"total_hip": -2.1, "lumbar_spine": -2.6}}),
    ("T-score -2.0 at the hip, wrist fracture", {"t": {"total_hip": -2.0}, "sites": ["wrist"]}),
    # who the patient is
    ("Re: John Smith, 73. He sustained a low trauma fracture", {"age": 73, "sex": "male"}),
    ("Mrs. Lee (71) was found to have a vertebral fracture", {"age": 71, "sex": "female"}),
    ("Hi doctor, I'm 61 and went through menopause at 50.", {"age": 61, "menopause": "post"}),
    ("my husband is 72, his spine t score is -2.6", {"age": 72, "sex": "male"}),
    ("Hx: * PMW, 62 * Wrist fracture 2020", {"age": 62, "sex": "female", "menopause": "post"}),
    ("About 70, female, T-score at the hip around -2.1", {"age": 70, "sex": "female"}),
    ("M/72: FN -2.1", {"age": 72, "sex": "male"}),
    ("A lady of 72 whose T-score was found to be -2.3 at the femoral neck", {"age": 72, "t": {"femoral_neck": -2.3}}),
    ("a man of 50 mg", {"age": None}),  # guard
    ("A seventy-two year old woman with FN -2.6", {"age": 72, "t": {"femoral_neck": -2.6}}),
    ("sixty five yo female", {"age": 65, "sex": "female"}),
    ("she has had twenty years of steroids", {"age": None}),  # guard
    ("gentleman, 67, FN -2.6", {"age": 67, "sex": "male"}),
    ("female pt, 71, OPN on DXA (TH -1.6)", {"age": 71, "sex": "female", "t": {"total_hip": -1.6}}),
    ("Mrs X is 74; LS T-score -2.2", {"age": 74, "sex": "female"}),
    ("Mrs Smith is 5 months post fracture", {"age": None}),  # guard
    ("BMD T-score at L1\u2013L4 = \u20132.9; 70 yr F", {"age": 70, "sex": "female", "t": {"lumbar_spine": -2.9}}),
    ("on alendronate for 10 years, m", {"age": None}),  # guard
    ("i'm a 60yo guy, dexa t score -2.6 spine", {"age": 60, "sex": "male"}),
    ("Dual Femur Neck Mean: T-score -1.8. Dual Femur Total Mean: T-score -1.5.",
     {"t": {"femoral_neck": -1.8, "total_hip": -1.5}}),
    ("\u2022 Age: 74 \u2022 Sex: F \u2022 LS T-score: -2.3", {"age": 74, "sex": "female"}),
    ("Age 65 | Sex M | FN -1.5", {"age": 65, "sex": "male"}),
    ("What treatment for 68F, FN T-score of negative 2.7?", {"age": 68, "sex": "female"}),
    ("70F, ankle fracture in a skiing accident age 40, FN -1.5", {"age": 70, "contradictions": []}),
    ("Post-menopausal since 2010, now 62, FN -1.4", {"age": 62}),
    ("eGFR 30, now 45.", {"age": None}),  # guard
    ("58 year old woman, LMP 4 years ago", {"menopause": "post"}),
    ("56 year old woman, still having periods", {"menopause": "pre"}),
    ("Menopause 10 yrs ago; 60 years old", {"menopause": "post", "age": 60}),
    # a correction inside the message
    ("70F FN -2.1, sorry, it was TH -2.1 not FN; FRAX 14/2.0", {"t": {"total_hip": -2.1}}),
    ("70F FN -2.1, actually the hip is -1.5 not the spine", {"t": {"femoral_neck": -2.1, "total_hip": -1.5}}),  # guard
    ("70F TH -2.1, actually she has no hip fracture", {"t": {"total_hip": -2.1}, "fracture": False}),  # guard
    # two patients: the first is read, the second set aside (asked about on its own)
    ("Patient A: 64F FN -2.7. Patient B: 71M LS -1.5, FRAX 9/1.2. Which needs treatment?",
     {"age": 64, "sex": "female", "t": {"femoral_neck": -2.7}, "frax": None, "questions": ["patient"],
      "contradictions": []}),
    ("Two patients: 66F with TH -1.9, and 70M with FN -2.8", {"age": 66, "t": {"total_hip": -1.9},
                                                              "questions": ["patient"]}),
    ("70F, pt 2 weeks post hip fracture", {"age": 70, "questions": []}),  # guard
    # history and negation
    ("68F FRAX 12% MOF / 1.9% hip - no prior fractures", {"fracture": False}),
    ("69F, fracture-free, FN -1.8", {"fracture": False}),
    ("she broke her wrist as a child", {"fracture": None, "sites": []}),
    ("a childhood wrist fracture, FN -1.8", {"fracture": None}),
    ("wrist fracture at 60 after a trip; broke her arm as a child too", {"fracture": True, "sites": ["wrist"]}),
    ("fractures: 0", {"fracture": False}),
    ("Fx hx: negative", {"fracture": False}),
    ("zero fractures", {"fracture": False}),
    ("ANA negative, hip fracture 2020", {"fracture": True, "sites": ["hip"]}),  # guard
    ("74 yo F, GC naive, LS -2.6", {"gc": False}),
    ("steroid-naive, 70F", {"gc": False}),
    ("treatment-naive 70F on prednisone 5 mg", {"gc": True}),  # guard
    ("73F, vitamin D insufficiency (22 ng/mL)", {"vitd": 22.0}),
    # glucocorticoids that are not oral are no glucocorticoid use (FRAX counts oral use)
    ("70F uses a steroid inhaler", {"gc": None}),
    ("70F on budesonide inhaler, FN -2.0", {"gc": None}),
    ("70F had a steroid injection in her knee", {"gc": None}),
    ("asthma on ICS and oral pred 10 mg", {"gc": True, "gc_dose": 10.0}),
    ("GFR est 38", {"egfr": 38.0}),
    ("creat clearance 32 ml/min", {"egfr": 32.0, "crcl": True}),
    ("70F, vit D 25OH: 48 nmol/L, FN -2.6", {"vitd": 19.2}),
    # a diagnosis asked about is not stated
    ("Osteoporosis? 64F with FN -2.0", {"conditions": {}, "t": {"femoral_neck": -2.0}}),
    ("70M, osteopenia? no DXA yet", {"conditions": {}}),
    ("64F, ?osteoporosis, FN -2.0", {"conditions": {}}),
    ("64F, query osteoporosis", {"conditions": {}}),
    ("64F, r/o osteoporosis", {"conditions": {}}),
    ("64F osteoporosis vs osteopenia?", {"conditions": {}}),
    ("What is the management of a 70F with osteoporosis?", {"conditions": {"osteoporosis_stated": True}}),  # guard
    # body size
    ("65yo woman, BMI 17, FN T -2.0", {"bmi": 17.0}),
    ("72F, BMI 19 kg/m2, LS -2.9", {"bmi": 19.0, "t": {"lumbar_spine": -2.9}}),
    ("body mass index of 18.5", {"bmi": 18.5}),
    ("68 y/o F, wt 48 kg, ht 160 cm", {"weight": 48.0, "height": 160.0, "bmi": 18.75}),
    ("weighs 130 lbs, 5'4\"", {"weight": 59.0, "height": 162.6}),
    ("a 2 cm nodule, pred 5 mg x 3 m", {"height": None, "weight": None, "bmi": None}),  # guard
    ("66F, BMI 90, LS -1.8", {"bmi": None, "questions": ["bmi"]}),
    ("treat if BMI < 20?", {"bmi": None, "questions": []}),  # guard
]


@pytest.mark.parametrize(("text", "expect"), CASES, ids=[c[0][:60] for c in CASES])
def test_clinician_writing(text: str, expect: dict) -> None:
    check(text, expect)


PIECES = ["BMI", "bmi 90", "5'", "5'11\"", "wt", "kg", "lb", "ht", "cm", "1.", "2.", "Patient B:", "two patients",
          "now", ",", "-", "\u2022", "?", "?osteoporosis", "Region / BMD / T-score / Z-score", "L1-L4", "0.9", "-2,1",
          "FN-", "T=", "frax10/", "sorry", "not FN", "neck", "total", "Mrs", "(71)", "Re:", "I'm", "my husband is",
          "F/", "yo", "yr", "\u00b3", "\u00b7", "\u00b5", "naive", "-free", "vs", "r/o", "query", "\n", "100000",
          "+9", "age 300", "neg", "SD below", "as a child", ": 0", "seventy-", "steroid inhaler"]


def test_the_new_readers_never_raise() -> None:
    """parse() turns an exception into 'unrecognised'; the readers themselves must not raise (fixed seed)."""
    import json
    import random
    from pathlib import Path

    from assistant.parse import _parse

    rng = random.Random(7)
    probes = Path(__file__).parents[1] / "probes" / "probes.jsonl"
    questions = [json.loads(line)["question"] for line in probes.read_text(encoding="utf-8").splitlines()]
    for _ in range(400):
        words = rng.choice(questions).split()
        for _ in range(rng.randint(1, 6)):
            words.insert(rng.randint(0, len(words)), rng.choice(PIECES))
        _parse(" ".join(words) if rng.random() < 0.7 else "".join(words))
