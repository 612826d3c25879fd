from __future__ import annotations

from assistant.engine.model import Assessment, Category, Decision, Section, Urgency
from assistant.facts import Facts, Sex, Site
from tests.engine.topic_helpers import cites, ids, rec, run_b, texts


def calcium(age: int | None, sex: Sex | None) -> tuple[str, str, Assessment]:
    a = run_b(Facts(age=age, sex=sex), Decision.NO, category=Category.OSTEOPENIA)
    return rec(a, "calcium-intake").statement, texts(a)["calcium-intake"], a


def test_calcium_woman_50_needs_1000_mg_upper_limit_2500() -> None:
    _, text, a = calcium(50, Sex.FEMALE)
    assert "aim for 1000 mg" in text and "under 2500 mg" in text
    assert cites(a, "calcium-intake") == ["iom-2011#calcium-rda", "bhof-2022#calcium"]


def test_calcium_woman_51_needs_1200_mg_upper_limit_2000() -> None:
    _, text, _ = calcium(51, Sex.FEMALE)
    assert "aim for 1200 mg" in text and "under 2000 mg" in text


def test_calcium_man_70_needs_1000_mg() -> None:
    _, text, _ = calcium(70, Sex.MALE)
    assert "aim for 1000 mg" in text


def test_calcium_man_71_needs_1200_mg() -> None:
    _, text, _ = calcium(71, Sex.MALE)
    assert "aim for 1200 mg" in text


def test_calcium_at_60_without_sex_gives_both_and_asks_sex() -> None:
    key, text, a = calcium(60, None)
    assert key == "calcium-sex-unknown"
    assert "1200 mg for a woman" in text and "1000 mg for a man" in text
    assert "sex" in a.missing_facts


def test_calcium_without_age_gives_the_table_and_asks_age() -> None:
    key, text, a = calcium(None, None)
    assert key == "calcium-general"
    assert "1000 mg" in text and "1200 mg" in text
    assert {"age", "sex"} <= set(a.missing_facts)


def test_calcium_supplement_only_for_the_shortfall() -> None:
    _, text, _ = calcium(67, Sex.FEMALE)
    assert "shortfall" in text and "kidney stones" in text


def vitd(age: int | None) -> tuple[str, Assessment]:
    a = run_b(Facts(age=age, sex=Sex.FEMALE), Decision.NO, category=Category.OSTEOPENIA)
    return texts(a)["vitamin-d-intake"], a


def test_vitamin_d_at_49_iom_600_without_bhof() -> None:
    text, a = vitd(49)
    assert "600 IU" in text and "BHOF" not in text
    assert cites(a, "vitamin-d-intake") == ["iom-2011#vitamin-d-rda"]


def test_vitamin_d_at_50_adds_bhof_800_to_1000() -> None:
    text, a = vitd(50)
    assert "600 IU" in text and "800 to 1000 IU" in text
    assert "bhof-2022#vitamin-d" in cites(a, "vitamin-d-intake")


def test_vitamin_d_at_70_is_600_iu() -> None:
    text, _ = vitd(70)
    assert text.startswith("Vitamin D: 600 IU")


def test_vitamin_d_at_71_is_800_iu() -> None:
    text, _ = vitd(71)
    assert text.startswith("Vitamin D: 800 IU")


def test_vitamin_d_without_age_gives_both_and_asks_age() -> None:
    text, a = vitd(None)
    assert "600 IU" in text and "800 IU" in text and "age" in a.missing_facts


def level(v: float) -> tuple[str, str, Assessment]:
    a = run_b(Facts(age=67, sex=Sex.FEMALE, vitamin_d=v), Decision.NO, category=Category.OSTEOPENIA)
    r = rec(a, "vitamin-d-target")
    return r.params["band"], texts(a)["vitamin-d-target"], a


def test_vitamin_d_19_9_is_deficient_and_flagged() -> None:
    band, text, a = level(19.9)
    assert band == "deficient" and "deficient" in text
    assert rec(a, "vitamin-d-target").urgency == Urgency.WARNING


def test_vitamin_d_20_meets_iom_but_not_bhof() -> None:
    band, text, _ = level(20)
    assert band == "iom-only" and "IOM" in text and "30 ng/mL" in text


def test_vitamin_d_29_9_still_below_bhof_target() -> None:
    assert level(29.9)[0] == "iom-only"


def test_vitamin_d_30_meets_both_targets() -> None:
    band, _, a = level(30)
    assert band == "target"
    assert set(cites(a, "vitamin-d-target")) == {
        "iom-2011#vitamin-d-rda",
        "bhof-2022#vitamin-d",
        "aace-2010#vitamin-d-target",
    }


def test_vitamin_d_50_1_is_above_bhof_upper_end() -> None:
    assert level(50)[0] == "target"
    band, text, _ = level(50.1)
    assert band == "above" and "50 ng/mL" in text


def test_vitamin_d_target_names_both_sources_when_not_measured() -> None:
    a = run_b(Facts(), Decision.CONDITIONAL, category=Category.OSTEOPENIA)
    text = texts(a)["vitamin-d-target"]
    assert "IOM" in text and "20 ng/mL" in text and "BHOF and AACE" in text and "30 ng/mL" in text


def test_universal_measures_given_even_when_treatment_not_indicated() -> None:
    a = run_b(Facts(age=63, sex=Sex.FEMALE, t_scores={Site.FEMORAL_NECK: -1.3}), Decision.NO)
    assert {"calcium-intake", "vitamin-d-intake", "vitamin-d-target", "exercise", "falls-prevention"} <= ids(a)
    assert all(r.section == Section.UNIVERSAL for r in a.recommendations if r.id in {"exercise", "falls-prevention"})


def test_falls_history_makes_fall_prevention_a_warning() -> None:
    a = run_b(Facts(conditions={"falls": True}), Decision.NO)
    assert rec(a, "falls-prevention").urgency == Urgency.WARNING
    assert "history of falls" in texts(a)["falls-prevention"]


def test_smoker_is_told_to_stop_non_smoker_hears_nothing() -> None:
    smoker = run_b(Facts(conditions={"smoking": True}), Decision.NO)
    assert "advise stopping" in texts(smoker)["smoking-cessation"]
    non = run_b(Facts(conditions={"smoking": False}), Decision.NO)
    assert "smoking-cessation" not in ids(non)


def test_alcohol_excess_warns_with_the_frax_3_units() -> None:
    a = run_b(Facts(conditions={"alcohol_excess": True}), Decision.NO)
    r = rec(a, "alcohol-limit")
    assert r.urgency == Urgency.WARNING and "3 or more units" in texts(a)["alcohol-limit"]
    assert "frax-web#alcohol" in r.citations
