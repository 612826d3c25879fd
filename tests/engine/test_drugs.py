from __future__ import annotations

from assistant.engine.model import Assessment, Decision, Section, Urgency
from assistant.facts import Facts, Intent, Medication, Sex, Site
from tests.engine.topic_helpers import cites, ids, rec, run_b, texts

OP = {Site.FEMORAL_NECK: -2.7}


def drugs(a: Assessment) -> set[str]:
    return {r.id for r in a.recommendations if r.section == Section.DRUGS}


def test_no_drug_starts_when_treatment_not_indicated() -> None:
    a = run_b(Facts(age=63, sex=Sex.FEMALE, t_scores={Site.FEMORAL_NECK: -1.3}), Decision.NO)
    assert not drugs(a)


def test_asked_for_drug_choice_gets_first_line_even_without_decision() -> None:
    a = run_b(Facts(t_scores=OP, egfr=60), Decision.NA, Intent.DRUG_CHOICE)
    assert {"drug-alendronate", "drug-risedronate", "drug-oral-administration"} <= drugs(a)


def test_conditional_decision_phrases_if_treatment_is_indicated() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -1.7}), Decision.CONDITIONAL)
    assert texts(a)["drug-alendronate"].startswith("If treatment is indicated")
    assert "alendronate 70 mg once weekly" in texts(a)["drug-alendronate"]


def test_indicated_treatment_starts_with_first_line_alendronate_70_weekly() -> None:
    a = run_b(Facts(t_scores=OP, egfr=70), Decision.YES)
    t = texts(a)
    assert t["drug-alendronate"].startswith("First-line")
    assert set(cites(a, "drug-alendronate")) == {
        "label-alendronate#dosing",
        "acp-2023#bisphosphonate-first-line",
        "endo-2019#first-line",
    }
    assert "35 mg once weekly" in t["drug-risedronate"]
    assert "240 mL" in t["drug-oral-administration"] and "30 minutes" in t["drug-oral-administration"]
    assert "150 mg" not in " ".join(t.values())  # risedronate 150 mg monthly is [U] on the sheet


def test_egfr_35_allows_alendronate_and_zoledronic_acid() -> None:
    a = run_b(Facts(t_scores=OP, egfr=35), Decision.YES)
    assert {"drug-alendronate", "drug-zoledronic-acid", "drug-denosumab"} <= drugs(a)


def test_egfr_34_rules_out_alendronate_and_zoledronic_acid_keeps_risedronate() -> None:
    a = run_b(Facts(t_scores=OP, egfr=34), Decision.YES)
    d = drugs(a)
    assert "drug-alendronate" not in d and "drug-zoledronic-acid" not in d
    assert {"drug-risedronate", "drug-denosumab"} <= d
    assert "ruled out by kidney function" in texts(a)["drug-risedronate"]
    assert rec(a, "drug-parenteral-intro").params["why"] == "renal"


def test_egfr_30_still_allows_risedronate() -> None:
    a = run_b(Facts(t_scores=OP, egfr=30), Decision.YES)
    assert "drug-risedronate" in drugs(a)
    assert "risedronate and ibandronate remain possible" in texts(a)["drug-renal-limits"]


def test_egfr_29_no_oral_bisphosphonate_denosumab_with_boxed_warning() -> None:
    a = run_b(Facts(t_scores=OP, egfr=29), Decision.YES)
    d = drugs(a)
    assert not d & {"drug-alendronate", "drug-risedronate", "drug-zoledronic-acid"}
    t = texts(a)["drug-denosumab"]
    assert "60 mg" in t and "every 6 months" in t and "boxed warning" in t
    assert "label-denosumab#dosing" in cites(a, "drug-denosumab")


def test_unknown_egfr_makes_choice_depend_on_kidney_function() -> None:
    a = run_b(Facts(t_scores=OP), Decision.YES)
    assert "egfr" in a.missing_facts
    assert "at least 35 mL/min" in texts(a)["drug-alendronate"]
    assert "depends on kidney function" in texts(a)["drug-renal-limits"]


def test_oesophageal_disorder_switches_to_injectables() -> None:
    a = run_b(Facts(t_scores=OP, egfr=60, conditions={"oesophageal_disorder": True}), Decision.YES)
    d = drugs(a)
    assert "drug-alendronate" not in d and "drug-risedronate" not in d
    assert {"drug-zoledronic-acid", "drug-denosumab"} <= d
    assert "oesophageal disorder" in texts(a)["drug-parenteral-intro"]
    assert "5 mg" in texts(a)["drug-zoledronic-acid"]


def test_cannot_stay_upright_switches_to_injectables() -> None:
    a = run_b(Facts(t_scores=OP, egfr=60, conditions={"cannot_stay_upright": True}), Decision.YES)
    assert "drug-alendronate" not in drugs(a) and "drug-zoledronic-acid" in drugs(a)


def test_very_high_risk_gets_anabolic_first_then_oral_as_follow_on() -> None:
    f = Facts(sex=Sex.FEMALE, t_scores={Site.FEMORAL_NECK: -3.2}, egfr=60, conditions={"recent_mi_or_stroke": False})
    a = run_b(f, Decision.YES, very_high_risk=True)
    t = texts(a)
    assert "20 mcg" in t["drug-teriparatide"] and "80 mcg" in t["drug-abaloparatide"]
    assert "210 mg" in t["drug-romosozumab"] and "12 doses" in t["drug-romosozumab"]
    assert t["drug-alendronate"].startswith("After the anabolic course")
    order = [r.id for r in a.recommendations if r.section == Section.DRUGS]
    assert order.index("drug-teriparatide") < order.index("drug-alendronate")
    assert "aace-2020#very-high-risk-initial" in cites(a, "drug-anabolic-sequence")


def test_very_high_risk_with_unknown_cardiac_history_asks_about_mi() -> None:
    a = run_b(Facts(sex=Sex.FEMALE, t_scores={Site.FEMORAL_NECK: -3.2}, egfr=60), Decision.YES, very_high_risk=True)
    assert "recent_mi_or_stroke" in a.missing_facts
    assert "ask" in texts(a)["drug-romosozumab"]


def test_recent_mi_excludes_romosozumab() -> None:
    f = Facts(sex=Sex.FEMALE, t_scores={Site.FEMORAL_NECK: -3.2}, conditions={"recent_mi_or_stroke": True})
    a = run_b(f, Decision.YES, very_high_risk=True)
    assert "drug-romosozumab" not in drugs(a) and "drug-romosozumab-excluded" in drugs(a)
    assert rec(a, "drug-romosozumab-excluded").urgency == Urgency.CRITICAL


def test_past_mi_or_stroke_also_steers_away_from_romosozumab() -> None:
    f = Facts(sex=Sex.FEMALE, t_scores={Site.FEMORAL_NECK: -3.2}, conditions={"mi_or_stroke_history": True})
    a = run_b(f, Decision.YES, very_high_risk=True)
    assert "drug-romosozumab" not in drugs(a)
    assert "endo-2020#romosozumab" in cites(a, "drug-romosozumab-excluded")


def test_man_at_very_high_risk_gets_pth_analogues_not_romosozumab() -> None:
    a = run_b(Facts(sex=Sex.MALE, t_scores={Site.FEMORAL_NECK: -3.2}), Decision.YES, very_high_risk=True)
    assert "drug-teriparatide" in drugs(a) and "drug-romosozumab" not in drugs(a)


def test_already_on_alendronate_is_not_offered_it_again() -> None:
    f = Facts(t_scores=OP, egfr=60, medications=[Medication(name="alendronate", years=2)])
    a = run_b(f, Decision.YES)
    assert "drug-current-alendronate" in drugs(a)
    assert "drug-alendronate" not in drugs(a) and "drug-denosumab" not in drugs(a)
    assert "Already on alendronate" in texts(a)["drug-current-alendronate"]


def test_on_alendronate_with_egfr_30_is_told_to_review_it() -> None:
    f = Facts(t_scores=OP, egfr=30, medications=[Medication(name="alendronate", years=2)])
    a = run_b(f, Decision.YES)
    r = rec(a, "drug-current-alendronate")
    assert r.urgency == Urgency.WARNING and "not recommended" in texts(a)["drug-current-alendronate"]


def test_raloxifene_offered_to_a_woman_asking_about_choices() -> None:
    a = run_b(Facts(sex=Sex.FEMALE, t_scores=OP, egfr=60), Decision.YES, Intent.DRUG_CHOICE)
    t = texts(a)["drug-raloxifene"]
    assert "60 mg daily" in t and "vertebral fractures only" in t and "thromboembolism" in t


def test_raloxifene_excluded_after_vte_and_never_for_men() -> None:
    f = Facts(sex=Sex.FEMALE, t_scores=OP, conditions={"vte_history": True})
    a = run_b(f, Decision.YES, Intent.DRUG_CHOICE)
    assert "drug-raloxifene" not in drugs(a) and "drug-raloxifene-excluded" in drugs(a)
    man = run_b(Facts(sex=Sex.MALE, t_scores=OP), Decision.YES, Intent.DRUG_CHOICE)
    assert not {"drug-raloxifene", "drug-raloxifene-excluded"} & drugs(man)


def test_anabolic_asked_by_name_in_a_premenopausal_woman_is_placed_and_cautioned() -> None:
    from assistant.engine import assess
    from assistant.facts import Menopause, Mention, Span

    f = Facts(
        age=33,
        sex=Sex.FEMALE,
        menopause=Menopause.PRE,
        conditions={"osteoporosis_stated": True},
        mentions=[Mention(concept="romosozumab", category="drug", span=Span(start=0, end=7, text="Evenity"))],
    )
    a = assess(f, Intent.DRUG_CHOICE)
    words = texts(a)
    assert "drug-anabolic-place" in words
    assert "very high fracture risk" in words["drug-anabolic-place"]
    assert "Z-scores" in words["drug-anabolic-place"]
    assert "iscd-2019#z-scores-younger-adults" in cites(a, "drug-anabolic-place")
    assert "heart attack or stroke" in words["drug-romosozumab"]


def test_anabolic_not_named_and_not_very_high_risk_is_not_brought_up() -> None:
    from assistant.engine import assess

    a = assess(Facts(age=70, sex=Sex.FEMALE, t_scores={Site.FEMORAL_NECK: -2.6}), Intent.DRUG_CHOICE)
    assert "drug-anabolic-place" not in ids(a) and "drug-romosozumab" not in ids(a)
