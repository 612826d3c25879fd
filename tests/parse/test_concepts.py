"""Concepts through the lexicon (brands, typos) and their context (negated, family, past, what-if)."""

from __future__ import annotations

import pytest

from tests.parse.conftest import check

LEXICON = [
    ("osteopenia", {"cond.osteopenia_stated": True}),
    ("osteopina of the spine", {"cond.osteopenia_stated": True}),
    ("severe osteoporosis", {"cond.osteoporosis_stated": True}),
    ("osteoporsis", {"cond.osteoporosis_stated": True}),
    ("T-score -2.2 at the femural neck", {"t": {"femoral_neck": -2.2}}),
    ("taking alendronat", {"meds": [{"name": "alendronate", "status": "affirmed"}]}),
    ("on denosumub", {"meds": [{"name": "denosumab", "status": "affirmed"}]}),
    ("on Fosamax", {"meds": [{"name": "alendronate", "status": "affirmed"}]}),
    ("on Actonel", {"meds": [{"name": "risedronate", "status": "affirmed"}]}),
    ("on Atelvia", {"meds": [{"name": "risedronate", "status": "affirmed"}]}),
    ("taking Boniva monthly", {"meds": [{"name": "ibandronate", "status": "affirmed"}]}),
    ("received Aclasta", {"meds": [{"name": "zoledronic_acid", "status": "affirmed"}]}),
    ("on Xgeva", {"meds": [{"name": "denosumab", "status": "affirmed"}]}),
    ("started Evenity", {"meds": [{"name": "romosozumab", "status": "affirmed"}]}),
    ("on Forteo", {"meds": [{"name": "teriparatide", "status": "affirmed"}]}),
    ("on Tymlos", {"meds": [{"name": "abaloparatide", "status": "affirmed"}]}),
    ("taking Evista", {"meds": [{"name": "raloxifene", "status": "affirmed"}]}),
    ("on Prolia (denosumab)", {"meds": [{"name": "denosumab", "status": "affirmed"}]}),
    ("smoker with rheumatoid arthritis", {"cond.smoking": True, "cond.rheumatoid_arthritis": True}),
    ("type 1 diabetes", {"cond.type1_diabetes": True}),
    ("CKD stage 4", {"cond.ckd": True}),
    ("on dialysis", {"cond.dialysis": True}),
    ("history of MI", {"cond.mi_or_stroke_history": True}),
    ("stroke six months ago", {"cond.mi_or_stroke_history": True}),
    ("Barrett's esophagus", {"cond.oesophageal_disorder": True}),
    ("hyperparathyroidism", {"cond.hyperparathyroidism": True}),
    ("recurrent falls", {"cond.falls": True}),
    ("history of DVT", {"cond.vte_history": True}),
    ("celiac disease", {"cond.malabsorption": True}),
    ("planned dental extraction", {"cond.invasive_dental_work": True}),
    ("new thigh pain", {"cond.thigh_pain": True}),
    ("hip", {"fracture": None}),  # a short word alone is not a fracture and never fuzzy
    ("the ship", {"sites": [], "t": {}}),
]

FRACTURES = [
    ("history of a wrist fracture", {"fracture": True, "sites": ["wrist"]}),
    ("prior vertebral compression fracture", {"fracture": True, "sites": ["vertebral"]}),
    ("compression fracture at T12", {"fracture": True, "sites": ["vertebral"]}),
    ("broke her hip last year", {"fracture": True, "sites": ["hip"]}),
    ("fractured her left humerus", {"fracture": True, "sites": ["humerus"]}),
    ("Colles fracture", {"fracture": True, "sites": ["wrist"]}),
    ("distal radius fracture", {"fracture": True, "sites": ["wrist"]}),
    ("pelvic fracture after a fall from standing", {"fracture": True, "sites": ["pelvis"]}),
    ("rib fractures", {"fracture": True, "sites": ["rib"]}),
    ("hip and wrist fractures", {"fracture": True, "sites": ["hip", "wrist"]}),
    ("ankle fracture", {"fracture": True, "sites": ["other"]}),
    ("low-trauma fracture of the spine", {"fracture": True, "sites": ["vertebral"]}),
    ("fragility fracture", {"fracture": True}),
    ("wrist fracture in a car accident", {"fracture": None}),
    ("traumatic femur fracture", {"fracture": None}),
    ("a recent hip fracture", {"fracture": True, "cond.recent_fracture": True}),
    ("multiple vertebral fractures", {"fracture": True, "cond.multiple_fractures": True}),
    ("no history of fractures", {"fracture": False, "sites": []}),
    ("no prior fracture", {"fracture": False}),
    ("never had a fracture", {"fracture": False}),
    ("without fracture", {"fracture": False}),
    ("mother had a hip fracture", {"fracture": None, "cond.parental_hip_fracture": True}),
    ("hip fracture in her father", {"fracture": None, "cond.parental_hip_fracture": True}),
    ("family history of hip fracture", {"fracture": None}),
    ("no family history of hip fracture", {"fracture": None}),
    ("sister broke her wrist", {"fracture": None}),
    ("to reduce the risk of hip fracture", {"fracture": None}),
    ("to prevent fractures", {"fracture": None}),
    ("hip fracture risk 2%", {"fracture": None}),
]

CONTEXT = [
    ("denies smoking", {"cond.smoking": False}),
    ("non-smoker", {"cond.smoking": False}),
    ("ex-smoker", {"cond.smoking": False}),
    ("current smoker", {"cond.smoking": True}),
    ("not on steroids", {"gc": False}),
    ("on prednisone", {"gc": True}),
    ("chronic prednisone therapy", {"gc": True}),
    ("starting glucocorticoid therapy", {"gc": True}),
    ("on long-term steroids for asthma", {"gc": True}),
    ("no alcohol", {"cond.alcohol_excess": False}),
    ("previously on alendronate", {"meds": [{"name": "alendronate", "status": "historical"}]}),
    ("stopped risedronate in 2020", {"meds": [{"name": "risedronate", "status": "historical"}]}),
    ("never on bisphosphonates", {"meds": []}),
    ("not on denosumab", {"meds": [{"name": "denosumab", "status": "negated"}]}),
    ("with osteopenia and no fractures but smokes", {"fracture": False, "cond.smoking": True}),
    ("taking into account risk factors such as smoking and steroid use",
     {"gc": None, "cond.smoking": None}),
    ("in the presence of high-risk features such as prior fracture", {"fracture": None}),
    ("risk factors such as smoking and glucocorticoid therapy", {"gc": True, "cond.smoking": True}),
    ("if she had a vertebral fracture", {"fracture": None}),
]


@pytest.mark.parametrize(("text", "expect"), LEXICON, ids=[c[0][:50] for c in LEXICON])
def test_lexicon(text: str, expect: dict) -> None:
    check(text, expect)


@pytest.mark.parametrize(("text", "expect"), FRACTURES, ids=[c[0][:50] for c in FRACTURES])
def test_fractures(text: str, expect: dict) -> None:
    check(text, expect)


@pytest.mark.parametrize(("text", "expect"), CONTEXT, ids=[c[0][:50] for c in CONTEXT])
def test_context(text: str, expect: dict) -> None:
    check(text, expect)
