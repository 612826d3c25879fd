from __future__ import annotations

import re

from assistant.engine.model import Assessment, Category, Decision
from assistant.facts import Facts, Medication, Sex, Site
from tests.engine.topic_helpers import cites, ids, rec, run_b, texts


def gourlay(fn: float | None, th: float | None, **kw: object) -> Assessment:
    t = {s: v for s, v in ((Site.FEMORAL_NECK, fn), (Site.TOTAL_HIP, th)) if v is not None}
    f = Facts(age=kw.pop("age", 70), sex=kw.pop("sex", Sex.FEMALE), t_scores=t, **kw)  # type: ignore[arg-type]
    return run_b(f, Decision.NO, category=Category.OSTEOPENIA)


def band(a: Assessment) -> tuple[str, float, int]:
    p = rec(a, "monitor-untreated-interval").params
    return p["band"], p["years"], p["rounded"]


def test_gourlay_minus_1_49_is_mild_about_15_years() -> None:
    a = gourlay(-1.49, -1.2)
    assert band(a) == ("mild", 17.3, 15)
    t = texts(a)["monitor-untreated-interval"]
    assert "17.3 years" in t and "roughly 15 years" in t and "disputed" in t
    assert cites(a, "monitor-untreated-interval") == ["gourlay-2012#testing-interval", "gourlay-2012#dispute"]


def test_gourlay_minus_1_50_is_moderate_about_5_years() -> None:
    a = gourlay(-1.50, None)
    assert band(a) == ("moderate", 4.7, 5)
    assert "disputed" not in texts(a)["monitor-untreated-interval"]


def test_gourlay_minus_1_99_is_still_moderate() -> None:
    assert band(gourlay(None, -1.99))[0] == "moderate"


def test_gourlay_minus_2_00_is_advanced_about_1_year() -> None:
    a = gourlay(-2.00, -1.5)
    assert band(a) == ("advanced", 1.1, 1)
    assert "roughly 1 year." in texts(a)["monitor-untreated-interval"]


def test_gourlay_minus_2_49_is_advanced_minus_2_50_gets_no_interval() -> None:
    assert band(gourlay(-2.49, None))[0] == "advanced"
    assert "monitor-untreated-interval" not in ids(gourlay(-2.50, None))


def test_gourlay_minus_1_0_is_the_normal_band() -> None:
    assert band(gourlay(-1.0, -0.4)) == ("normal", 16.8, 15)


def test_gourlay_uses_the_lowest_hip_site_not_the_spine() -> None:
    f = Facts(age=70, sex=Sex.FEMALE, t_scores={Site.LUMBAR_SPINE: -2.3, Site.FEMORAL_NECK: -1.2, Site.TOTAL_HIP: -1.6})
    a = run_b(f, Decision.NO, category=Category.OSTEOPENIA)
    p = rec(a, "monitor-untreated-interval").params
    assert p["band"] == "moderate" and p["t"] == -1.6 and p["site"] == "total hip"


def test_gourlay_seed_case_femoral_neck_minus_1_7_about_5_years_with_unknowns_named() -> None:
    f = Facts(t_scores={Site.FEMORAL_NECK: -1.7, Site.TOTAL_HIP: -1.1})
    a = run_b(f, Decision.CONDITIONAL, category=Category.OSTEOPENIA)
    t = texts(a)["monitor-untreated-interval"]
    assert t.startswith("If no drug is started") and "4.7 years" in t and "age and sex not given" in t


def test_gourlay_outside_the_study_population_says_so() -> None:
    t = texts(gourlay(-1.7, None, age=60, sex=Sex.MALE))["monitor-untreated-interval"]
    assert "did not include men and people younger than 67" in t


def test_gourlay_without_hip_scores_asks_for_them() -> None:
    f = Facts(age=70, sex=Sex.FEMALE, t_scores={Site.LUMBAR_SPINE: -1.8})
    a = run_b(f, Decision.NO, category=Category.OSTEOPENIA)
    assert rec(a, "monitor-untreated-interval").statement == "monitor-gourlay-no-hip"
    assert "t_scores" in a.missing_facts


def test_treated_patient_gets_endocrine_1_to_3_years_and_acp_contrast() -> None:
    f = Facts(t_scores={Site.FEMORAL_NECK: -2.7}, medications=[Medication(name="alendronate", years=2)])
    a = run_b(f, Decision.YES)
    t = texts(a)["monitor-on-treatment"]
    assert "every 1 to 3 years" in t and "first 5 years" in t
    assert cites(a, "monitor-on-treatment") == ["endo-2019#bmd-monitoring", "acp-2017#no-monitoring"]
    assert "monitor-untreated-interval" not in ids(a)


def test_bhof_1_to_2_year_interval_is_not_used_because_it_is_unverified() -> None:
    a = run_b(Facts(t_scores={Site.FEMORAL_NECK: -2.7}), Decision.YES)
    assert "1 to 2 years" not in " ".join(texts(a).values()) and "1-2 years" not in " ".join(texts(a).values())


def test_not_indicated_gets_untreated_interval_only() -> None:
    a = gourlay(-1.7, None)
    assert "monitor-untreated-interval" in ids(a) and "monitor-on-treatment" not in ids(a)


def test_least_significant_change_accompanies_any_monitoring() -> None:
    a = gourlay(-1.7, None)
    assert "2.77 times" in texts(a)["monitor-least-significant-change"]
    none = run_b(Facts(t_scores={Site.LUMBAR_SPINE: -2.7}), Decision.NA, category=Category.OSTEOPOROSIS)
    assert "monitor-least-significant-change" not in ids(none)


def test_glucocorticoid_user_is_reassessed_without_an_unverified_interval() -> None:
    a = run_b(Facts(glucocorticoids=True, t_scores={Site.FEMORAL_NECK: -1.2}), Decision.NO)
    t = texts(a)["monitor-glucocorticoids"]
    assert "reassess fracture risk regularly" in t and not re.search(r"\d", t)
