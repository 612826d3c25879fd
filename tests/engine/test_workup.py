from __future__ import annotations

from assistant.engine.model import Category, Decision, Section, Urgency
from assistant.facts import Facts, FractureSite, Intent, Sex, Site
from tests.engine.topic_helpers import cites, ids, rec, run_b, texts

OSTEOPENIA = {Site.FEMORAL_NECK: -1.7, Site.TOTAL_HIP: -1.1}
CORE = {
    "workup-cbc",
    "workup-calcium-phosphate",
    "workup-creatinine-egfr",
    "workup-alkaline-phosphatase",
    "workup-liver-tests",
    "workup-tsh",
    "workup-vitamin-d",
    "workup-urine-calcium",
}


def test_osteopenia_gets_the_core_panel_cited_to_bhof() -> None:
    a = run_b(Facts(t_scores=OSTEOPENIA), Decision.CONDITIONAL, category=Category.OSTEOPENIA)
    t = texts(a)
    assert CORE <= ids(a)
    assert all(cites(a, i) == ["bhof-2022#secondary-causes-labs"] for i in CORE)
    assert "Complete blood count" in t["workup-cbc"] and "TSH" in t["workup-tsh"]
    assert all(r.section == Section.WORKUP for r in a.recommendations if r.id.startswith("workup-"))


def test_normal_bmd_without_fracture_gets_no_workup() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -0.5}), Decision.NO, category=Category.NORMAL)
    assert not any(i.startswith("workup-") for i in ids(a))


def test_normal_bmd_but_asked_for_labs_gets_the_panel() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -0.5}), Decision.NO, Intent.LABS_WORKUP, category=Category.NORMAL)
    assert CORE <= ids(a)


def test_given_egfr_and_vitamin_d_are_shown_beside_their_tests() -> None:
    a = run_b(Facts(t_scores=OSTEOPENIA, egfr=52, vitamin_d=24), category=Category.OSTEOPENIA)
    t = texts(a)
    assert "52 mL/min" in t["workup-creatinine-egfr"]
    assert "24 ng/mL" in t["workup-vitamin-d"]


def test_man_gets_testosterone_woman_does_not() -> None:
    man = run_b(Facts(sex=Sex.MALE, age=60, t_scores=OSTEOPENIA), category=Category.OSTEOPENIA)
    woman = run_b(Facts(sex=Sex.FEMALE, age=60, t_scores=OSTEOPENIA), category=Category.OSTEOPENIA)
    assert "workup-testosterone" in ids(man)
    assert "endo-men-2012#lab-testing" in cites(man, "workup-testosterone")
    assert "workup-testosterone" not in ids(woman)


def test_pth_indicated_when_vitamin_d_19_9_below_20() -> None:
    a = run_b(Facts(t_scores=OSTEOPENIA, vitamin_d=19.9), category=Category.OSTEOPENIA)
    r = rec(a, "workup-pth")
    assert r.statement == "workup-pth-indicated" and r.urgency == Urgency.WARNING
    assert "low vitamin D" in texts(a)["workup-pth"]
    assert r.citations == ["aace-2010#conditional-tests"]


def test_pth_only_conditional_when_vitamin_d_is_20() -> None:
    a = run_b(Facts(t_scores=OSTEOPENIA, vitamin_d=20), category=Category.OSTEOPENIA)
    assert rec(a, "workup-pth").statement == "workup-pth-if"


def test_pth_indicated_by_hypocalcaemia() -> None:
    a = run_b(Facts(t_scores=OSTEOPENIA, conditions={"hypocalcaemia": True}), category=Category.OSTEOPENIA)
    assert "low calcium" in texts(a)["workup-pth"]


def test_spep_for_vertebral_fracture_because_myeloma_is_plausible() -> None:
    f = Facts(age=70, prior_fragility_fracture=True, fracture_sites=[FractureSite.VERTEBRAL])
    a = run_b(f, Decision.YES, category=Category.OSTEOPOROSIS)
    r = rec(a, "workup-spep-flc")
    assert r.statement == "workup-spep-indicated"
    assert "vertebral fracture" in texts(a)["workup-spep-flc"]
    assert "free light chains" in texts(a)["workup-spep-flc"]


def test_spep_not_for_everyone_over_50_without_features() -> None:
    a = run_b(Facts(age=75, sex=Sex.FEMALE, t_scores=OSTEOPENIA), category=Category.OSTEOPENIA)
    r = rec(a, "workup-spep-flc")
    assert r.statement == "workup-spep-if"
    assert "not to age alone" in texts(a)["workup-spep-flc"]


def test_malabsorption_calls_for_ttg_iga() -> None:
    a = run_b(Facts(t_scores=OSTEOPENIA, conditions={"malabsorption": True}), category=Category.OSTEOPENIA)
    assert "workup-ttg" in ids(a)
    assert "transglutaminase IgA" in texts(a)["workup-ttg"]
    plain = run_b(Facts(t_scores=OSTEOPENIA), category=Category.OSTEOPENIA)
    assert "workup-ttg" not in ids(plain)


def test_suspected_cushing_calls_for_cortisol_testing() -> None:
    a = run_b(Facts(t_scores=OSTEOPENIA, conditions={"cushings": True}), category=Category.OSTEOPENIA)
    assert "cortisol" in texts(a)["workup-cortisol"]


def test_age_49_gets_wider_workup_age_50_does_not() -> None:
    young = run_b(Facts(age=49, sex=Sex.FEMALE, t_scores=OSTEOPENIA), category=Category.OSTEOPENIA)
    fifty = run_b(Facts(age=50, sex=Sex.FEMALE, t_scores=OSTEOPENIA), category=Category.OSTEOPENIA)
    assert "age under 50" in texts(young)["workup-wider"]
    assert "estradiol" in texts(young)["workup-wider"]
    assert "workup-wider" not in ids(fifty)


def test_low_z_score_gets_wider_workup() -> None:
    f = Facts(age=40, sex=Sex.MALE, z_scores={Site.LUMBAR_SPINE: -2.0})
    a = run_b(f, category=Category.BELOW_EXPECTED_FOR_AGE)
    t = texts(a)["workup-wider"]
    assert "Z-score" in t and "testosterone" in t


def test_fracture_with_normal_bmd_is_out_of_proportion() -> None:
    f = Facts(
        age=66, prior_fragility_fracture=True, fracture_sites=[FractureSite.WRIST], t_scores={Site.TOTAL_HIP: -0.8}
    )
    a = run_b(f, category=Category.NORMAL)
    assert "normal bone density" in texts(a)["workup-wider"]
