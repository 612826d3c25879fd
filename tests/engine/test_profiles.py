"""Guideline profiles: vignettes where the profiles disagree (each asserting every profile's decision and the
passage the decision cites) and where they agree, the very-high-risk schemes, FRAX adjustments shown against
every profile's thresholds, the comparison rows, and grounding of everything a profile adds.

Facts are built directly; the engine is run once per profile (us, aace, acp, endocrine)."""

from __future__ import annotations

import pytest

from assistant.corpus import default_corpus
from assistant.engine import Assessment, Decision, assess
from assistant.engine.compare import compare
from assistant.engine.knowledge.profiles import PROFILE_ORDER, get_profile, profiles
from assistant.engine.knowledge.thresholds import threshold
from assistant.facts import Facts, FractureSite, Frax, Intent, Menopause, Sex, Site
from assistant.statements import render_statement
from tests.engine.test_grounding import check_grounded, derived_numbers, numbers

FN, TH, LS = Site.FEMORAL_NECK, Site.TOTAL_HIP, Site.LUMBAR_SPINE
Y, N, C = Decision.YES, Decision.NO, Decision.CONDITIONAL
BHOF = "bhof-2022#who-to-treat"
AACE = "aace-2020#clinical-diagnosis"
AACE_TREAT = "aace-2020#treat-osteoporosis"
ACP4 = "acp-2023#osteopenia-over-65"
ACR = "acr-2022#risk-strata-all-ages"  # the US default places glucocorticoid users by the ACR 2022 strata


def woman(age: int | None = 67, **kw: object) -> Facts:
    return Facts(age=age, sex=Sex.FEMALE, menopause=Menopause.POST, **kw)


def man(age: int = 70, **kw: object) -> Facts:
    return Facts(age=age, sex=Sex.MALE, **kw)


def gc(dose: float, major: float, hip: float) -> dict:
    return {"glucocorticoids": True, "glucocorticoid_dose_mg": dose, "frax": Frax(major=major, hip=hip)}


WRIST = FractureSite.WRIST


def fx(*sites: FractureSite) -> dict:
    return {"prior_fragility_fracture": True, "fracture_sites": list(sites)}


def run(f: Facts, profile: str, intent: Intent = Intent.MANAGEMENT_OVERALL) -> Assessment:
    return assess(f, intent, profile)


# (name, facts, {profile: (decision, passage the decision cites)})
DISAGREE: list[tuple[str, Facts, dict[str, tuple[Decision, str]]]] = [
    (
        "osteopenia-67-frax-below: ACP individualises, the others say no",
        woman(67, t_scores={FN: -1.7, TH: -1.1}, frax=Frax(major=11.0, hip=1.4)),
        {"us": (N, BHOF), "aace": (N, BHOF), "acp": (C, ACP4), "endocrine": (N, BHOF)},
    ),
    (
        "osteopenia-67-frax-over: ACP has no FRAX threshold",
        woman(67, t_scores={FN: -2.0}, frax=Frax(major=25.0, hip=2.0)),
        {"us": (Y, BHOF), "aace": (Y, BHOF), "acp": (C, ACP4), "endocrine": (Y, BHOF)},
    ),
    (
        "osteopenia-60-frax-over: no ACP recommendation at 65 or younger",
        woman(60, t_scores={FN: -2.0}, frax=Frax(major=25.0, hip=2.0)),
        {"us": (Y, BHOF), "aace": (Y, BHOF), "acp": (C, ACP4), "endocrine": (Y, BHOF)},
    ),
    (
        "osteopenia-66-boundary-in: over 65 is individualised",
        woman(66, t_scores={FN: -1.7}, frax=Frax(major=11.0, hip=1.4)),
        {"us": (N, BHOF), "aace": (N, BHOF), "acp": (C, ACP4), "endocrine": (N, BHOF)},
    ),
    (
        "osteopenia-65-boundary-out: 65 is not over 65",
        woman(65, t_scores={FN: -1.7}, frax=Frax(major=11.0, hip=1.4)),
        {"us": (N, BHOF), "aace": (N, BHOF), "acp": (C, ACP4), "endocrine": (N, BHOF)},
    ),
    (
        "frax-major-19.9: below the US threshold, ACP individualises",
        woman(70, t_scores={FN: -1.9}, frax=Frax(major=19.9, hip=2.9)),
        {"us": (N, BHOF), "aace": (N, BHOF), "acp": (C, ACP4), "endocrine": (N, BHOF)},
    ),
    (
        "frax-major-20: at the US threshold",
        woman(70, t_scores={FN: -1.9}, frax=Frax(major=20.0, hip=0.5)),
        {"us": (Y, BHOF), "aace": (Y, BHOF), "acp": (C, ACP4), "endocrine": (Y, BHOF)},
    ),
    (
        "frax-hip-3.0: at the hip threshold, 64-year-old",
        woman(64, t_scores={FN: -2.4}, frax=Frax(major=8.0, hip=3.0)),
        {"us": (Y, BHOF), "aace": (Y, BHOF), "acp": (C, ACP4), "endocrine": (Y, BHOF)},
    ),
    (
        "normal-bmd-wrist-fracture: AACE calls it osteoporosis",
        woman(60, t_scores={FN: -0.5}, **fx(FractureSite.WRIST)),
        {"us": (C, BHOF), "aace": (Y, AACE), "acp": (C, BHOF), "endocrine": (C, BHOF)},
    ),
    (
        "normal-bmd-pelvis-fracture-75: AACE treats",
        woman(75, t_scores={FN: -0.8, TH: -0.6}, **fx(FractureSite.PELVIS)),
        {"us": (C, AACE_TREAT), "aace": (Y, AACE_TREAT), "acp": (C, AACE_TREAT), "endocrine": (C, AACE_TREAT)},
    ),
    (
        "no-bmd-wrist-fracture: AACE treats on the fracture",
        woman(62, **fx(FractureSite.WRIST)),
        {"us": (C, BHOF), "aace": (Y, AACE), "acp": (C, BHOF), "endocrine": (C, BHOF)},
    ),
    (
        "osteopenia-wrist-fracture-60: AACE rule in US and AACE, not in ACP or Endocrine",
        woman(60, t_scores={FN: -1.8}, **fx(FractureSite.WRIST)),
        {"us": (Y, AACE_TREAT), "aace": (Y, AACE_TREAT), "acp": (C, ACP4), "endocrine": (C, BHOF)},
    ),
    (
        "osteopenia-humerus-fracture-frax-below-70: Endocrine goes by FRAX",
        woman(70, t_scores={FN: -1.8}, frax=Frax(major=15.0, hip=2.0), **fx(FractureSite.HUMERUS)),
        {"us": (Y, AACE_TREAT), "aace": (Y, AACE_TREAT), "acp": (C, ACP4), "endocrine": (N, BHOF)},
    ),
    (
        "glucocorticoid-high-dose: raw FRAX below, adjusted over",
        woman(70, t_scores={FN: -2.0}, **gc(10.0, 18.0, 2.6)),
        {"us": (Y, ACR), "aace": (Y, BHOF), "acp": (C, ACP4), "endocrine": (Y, BHOF)},
    ),
    (
        "glucocorticoid-low-dose: raw FRAX over, adjusted below; ACR 2022 moderate (T -2.0) under the US default",
        woman(70, t_scores={FN: -2.0}, **gc(2.0, 22.0, 3.2)),
        {"us": (Y, ACR), "aace": (N, BHOF), "acp": (C, ACP4), "endocrine": (N, BHOF)},
    ),
    (
        "spine-offset: lumbar spine a unit below the neck lifts major FRAX over 20%",
        woman(70, t_scores={FN: -1.2, LS: -2.4}, frax=Frax(major=18.5, hip=1.0)),
        {"us": (Y, BHOF), "aace": (Y, BHOF), "acp": (C, ACP4), "endocrine": (Y, BHOF)},
    ),
    (
        "man-osteopenia-frax-over: ACP has no recommendation for men with low bone mass",
        man(70, t_scores={FN: -1.8}, frax=Frax(major=25.0, hip=2.0)),
        {"us": (Y, BHOF), "aace": (Y, BHOF), "acp": (C, ACP4), "endocrine": (Y, BHOF)},
    ),
    (
        "man-osteopenia-wrist-fracture: US keeps the AACE rule for men, Endocrine does not",
        man(72, t_scores={FN: -1.8}, **fx(FractureSite.WRIST)),
        {"us": (Y, AACE_TREAT), "aace": (Y, AACE_TREAT), "acp": (C, ACP4), "endocrine": (C, BHOF)},
    ),
    (
        "age-not-given: ACP asks for age, the US says no on FRAX",
        Facts(menopause=Menopause.POST, t_scores={FN: -1.7}, frax=Frax(major=11.0, hip=1.4)),
        {"us": (N, BHOF), "aace": (N, BHOF), "acp": (C, ACP4), "endocrine": (N, BHOF)},
    ),
    (
        "osteopenia-stated-no-numbers-frax-low: ACP individualises",
        woman(70, conditions={"osteopenia_stated": True}, frax=Frax(major=9.0, hip=1.0)),
        {"us": (N, BHOF), "aace": (N, BHOF), "acp": (C, ACP4), "endocrine": (N, BHOF)},
    ),
    (
        "osteopenia-frax-hip-only-below: ACP individualises at 80",
        woman(80, t_scores={TH: -2.3}, frax=Frax(hip=2.0)),
        {"us": (N, BHOF), "aace": (N, BHOF), "acp": (C, ACP4), "endocrine": (N, BHOF)},
    ),
]

# Decision agrees; the very-high-risk status differs (scheme per profile: AACE list, Endocrine 2020, ACP none).
VHR: list[tuple[str, Facts, dict[str, bool | None]]] = [
    (
        "t-minus-3.2-no-fracture: AACE very high, Endocrine not",
        woman(70, t_scores={FN: -3.2}),
        {"us": True, "aace": True, "acp": None, "endocrine": None},
    ),
    (
        "t-minus-2.7-wrist-fracture: Endocrine very high, AACE not",
        woman(70, t_scores={FN: -2.7}, **fx(WRIST)),
        {"us": None, "aace": None, "acp": None, "endocrine": True},
    ),
    (
        "t-minus-2.5-wrist-fracture: not below -2.5 for Endocrine",
        woman(70, t_scores={FN: -2.5}, **fx(WRIST)),
        {"us": None, "aace": None, "acp": None, "endocrine": None},
    ),
    (
        "frax-35-osteoporosis: AACE very high by FRAX",
        woman(75, t_scores={FN: -2.6}, frax=Frax(major=35.0, hip=5.0)),
        {"us": True, "aace": True, "acp": None, "endocrine": None},
    ),
    (
        "multiple-vertebral: both schemes",
        woman(72, t_scores={LS: -2.8}, conditions={"multiple_fractures": True}, **fx(FractureSite.VERTEBRAL)),
        {"us": True, "aace": True, "acp": None, "endocrine": True},
    ),
]

AGREE: list[tuple[str, Facts, Decision]] = [
    ("t-minus-2.5: osteoporosis is treated everywhere", woman(67, t_scores={FN: -2.5}), Y),
    ("t-minus-2.8-man: treated everywhere", man(70, t_scores={LS: -2.8}), Y),
    ("hip-fracture-osteopenia: treated everywhere", woman(75, t_scores={FN: -1.5}, **fx(FractureSite.HIP)), Y),
    ("normal-bmd-no-fracture: not indicated anywhere", woman(60, t_scores={FN: -0.4, LS: 0.2}), N),
    (
        "premenopausal-z-score: individual decision everywhere",
        Facts(age=35, sex=Sex.FEMALE, menopause=Menopause.PRE, z_scores={LS: -2.3}),
        C,
    ),
    ("frax-over-without-bmd: every profile needs a DXA first", woman(68, frax=Frax(major=24.0, hip=3.5)), C),
    (
        "man-normal-bmd-wrist: AACE covers postmenopausal women, so the BHOF criteria apply",
        man(70, t_scores={FN: -0.5}, **fx(FractureSite.WRIST)),
        C,
    ),
]


@pytest.mark.parametrize(("name", "facts", "expected"), DISAGREE, ids=[d[0].split(":")[0] for d in DISAGREE])
def test_profiles_disagree(name: str, facts: Facts, expected: dict[str, tuple[Decision, str]]) -> None:
    got = {}
    for pid in PROFILE_ORDER:
        a = run(facts, pid)
        decision, passage = expected[pid]
        got[pid] = a.decision
        assert a.decision == decision, (pid, a.decision, a.because)
        assert a.because is not None and passage in a.because.citations, (pid, a.because)
        check_grounded(a)
    assert len(set(got.values())) > 1, f"{name}: the profiles were expected to disagree"
    c = compare(facts)
    assert c.decisions == {pid: d.value for pid, d in got.items()}
    assert c.row("decision").differ


@pytest.mark.parametrize(("name", "facts", "expected"), VHR, ids=[v[0].split(":")[0] for v in VHR])
def test_very_high_risk_schemes_disagree(name: str, facts: Facts, expected: dict[str, bool | None]) -> None:
    for pid in PROFILE_ORDER:
        a = run(facts, pid)
        assert a.decision == Y, pid
        assert a.very_high_risk is expected[pid], (pid, a.very_high_risk)
        check_grounded(a)
    row = compare(facts).row("very_high_risk")
    assert row is not None and row.differ
    assert row.cells["acp"].key == "undefined"
    assert "acp-2023#anabolic-very-high-risk" in row.cells["acp"].citations


@pytest.mark.parametrize(("name", "facts", "decision"), AGREE, ids=[a[0].split(":")[0] for a in AGREE])
def test_profiles_agree(name: str, facts: Facts, decision: Decision) -> None:
    for pid in PROFILE_ORDER:
        a = run(facts, pid)
        assert a.decision == decision, (pid, a.decision)
        assert a.because is not None and a.because.citations
        check_grounded(a)
    c = compare(facts)
    assert set(c.decisions.values()) == {decision.value}
    assert not c.row("decision").differ


def test_endocrine_very_high_risk_gives_anabolic_first_but_acp_does_not() -> None:
    f = woman(70, t_scores={FN: -2.7}, **fx(FractureSite.WRIST))
    endo = run(f, "endocrine")
    acp = run(f, "acp")
    assert any(r.id == "drug-teriparatide" for r in endo.recommendations)
    assert not any(r.id == "drug-teriparatide" for r in acp.recommendations)
    assert any(r.id == "very-high-risk-undefined" for r in acp.recommendations)
    assert compare(f).row("drugs").cells["endocrine"].key == "anabolic-first"


def test_acp_rec_3_is_for_women_only() -> None:
    a = run(man(70, t_scores={FN: -3.2}), "acp")
    assert a.decision == Y
    assert not any(r.id == "very-high-risk-undefined" for r in a.recommendations)


def test_aace_answer_for_a_man_says_the_bhof_criteria_apply() -> None:
    a = run(man(70, t_scores={FN: -1.8}, frax=Frax(major=25.0, hip=2.0)), "aace")
    basis = next(r for r in a.recommendations if r.id == "profile-basis")
    assert "for this man the BHOF criteria are applied" in render_statement(basis.statement, basis.params)


def test_us_answers_carry_no_profile_statement() -> None:
    a = run(woman(67, t_scores={FN: -1.7}, frax=Frax(major=11.0, hip=1.4)), "us")
    assert not any(r.id.startswith("profile-") for r in a.recommendations)
    assert not any(s.rule.startswith("profile-") and s.result for s in a.trace)


@pytest.mark.parametrize("pid", ["aace", "acp", "endocrine"])
def test_non_default_profiles_say_what_they_leave_out(pid: str) -> None:
    a = run(woman(67, t_scores={FN: -1.7}), pid)
    left = next(r for r in a.recommendations if r.id == "profile-left-out")
    text = render_statement(left.statement, left.params)
    assert "because the sources do not verify it" in text
    for item in get_profile(pid).left_out:
        assert item.what in text


def test_frax_adjustment_shows_raw_and_adjusted_against_every_profile() -> None:
    f = woman(70, t_scores={FN: -2.0}, **gc(10.0, 18.0, 2.6))
    row = compare(f).row("frax")
    assert row is not None and row.differ
    texts = {pid: render_statement(c.statement, c.params) for pid, c in row.cells.items()}
    for pid in PROFILE_ORDER:
        assert "major 18% -> 20.7% adjusted" in texts[pid] and "hip 2.6% -> 3.1% adjusted" in texts[pid]
        assert "kanis-gc-2011#dose-adjustment" in row.cells[pid].citations
    for pid in ("us", "aace", "endocrine"):
        assert "as given below 20% major or 3% hip; adjusted at or over" in texts[pid]
    assert "no FRAX threshold in this guideline" in texts["acp"]
    assert "very-high-risk FRAX (major above 30% or hip above 4.5%) not crossed" in texts["aace"]


@pytest.mark.parametrize(
    ("pid", "needle"),
    [
        (
            "us",
            "FRAX as given (major 18%, hip 2.6%) is below the 20% major / 3% hip threshold; adjusted"
            " (major 20.7%, hip 3.1%) it is at or over it",
        ),
        ("aace", "very-high-risk FRAX (major above 30% or hip above 4.5%) is not reached after adjustment"),
        ("acp", "and adjusted (major 20.7%, hip 3.1%) meet no threshold, because this guideline sets none"),
        ("endocrine", "Under Endocrine Society 2019/2020: FRAX as given (major 18%, hip 2.6%) is below"),
    ],
)
def test_answers_show_raw_and_adjusted_frax_against_each_profile(pid: str, needle: str) -> None:
    a = run(woman(70, t_scores={FN: -2.0}, **gc(10.0, 18.0, 2.6)), pid)
    rec = next(r for r in a.recommendations if r.id == "risk-frax-raw-and-adjusted")
    assert needle in render_statement(rec.statement, rec.params)
    assert "kanis-gc-2011#dose-adjustment" in rec.citations
    check_grounded(a)


def test_no_raw_and_adjusted_line_without_an_adjustment() -> None:
    a = run(woman(70, t_scores={FN: -2.0}, frax=Frax(major=18.0, hip=2.6)), "us")
    assert not any(r.id == "risk-frax-raw-and-adjusted" for r in a.recommendations)


def test_spine_offset_shown_in_the_comparison() -> None:
    f = woman(70, t_scores={FN: -1.2, LS: -2.4}, frax=Frax(major=18.5, hip=1.0))
    cell = compare(f).row("frax").cells["us"]
    assert "major 18.5% -> 20.4% adjusted" in render_statement(cell.statement, cell.params)
    assert "leslie-2011#spine-hip-offset" in cell.citations


def test_type2_diabetes_and_nogg_notes() -> None:
    c = compare(woman(70, t_scores={FN: -2.0}, frax=Frax(major=12.0, hip=1.0), conditions={"type2_diabetes": True}))
    statements = [n.statement for n in c.notes]
    assert statements == ["compare-nogg", "compare-t2d"]
    nogg = render_statement("compare-nogg", {})
    assert "fixed from age 70" in nogg and "1.6 times" in nogg and "not bundled" in nogg
    assert c.notes[0].citations == ["nogg-2022#intervention-threshold", "kanis-2021-nogg#very-high-risk"]


def test_vitamin_d_monitoring_and_holiday_rows_follow_the_profiles() -> None:
    c = compare(woman(67, t_scores={FN: -2.7}))
    vd, mon, hol = c.row("vitamin_d"), c.row("monitoring"), c.row("holiday")
    assert vd.cells["us"].key == vd.cells["aace"].key == "30-50"
    assert vd.cells["acp"].citations == ["iom-2011#vitamin-d-rda"]
    assert mon.cells["acp"].citations == ["acp-2017#no-monitoring"]
    assert mon.cells["endocrine"].citations == ["endo-2019#bmd-monitoring"]
    assert "not verified" in render_statement(mon.cells["us"].statement, mon.cells["us"].params)
    assert hol.cells["endocrine"].citations[0] == "endo-2019#holiday"
    assert all(r.differ for r in (vd, mon, hol))


def test_profile_thresholds_match_the_engine_constants() -> None:
    for p in profiles().values():
        if p.decision.frax is not None:
            assert (p.decision.frax.major, p.decision.frax.hip) == (
                threshold("frax-major-treat").value,
                threshold("frax-hip-treat").value,
            )
    assert get_profile("acp").decision.frax is None
    assert get_profile("nonsense").id == "us"


def test_every_profile_passage_exists() -> None:
    corpus = default_corpus()
    for p in profiles().values():
        for pid in p.passages():
            assert pid in corpus.passages, (p.id, pid)
        for ref in p.references:
            assert ref in corpus.references, (p.id, ref)


def _cell_grounded(text: str, cites: list[str], f: Facts) -> None:
    corpus = default_corpus()
    allowed = {abs(v) for v in numbers(str(f.model_dump(exclude={"sources", "mentions"})))} | derived_numbers(f)
    for c in cites:
        allowed |= numbers(corpus.passages[c].text)
        year = corpus.reference_of(c).year
        if year is not None:
            allowed.add(float(year))
    stray = numbers(text) - allowed
    assert not stray, (text, stray)


@pytest.mark.parametrize(
    ("name", "facts", "expected"),
    DISAGREE + [(v[0], v[1], {}) for v in VHR],
    ids=[d[0].split(":")[0] for d in DISAGREE] + [v[0].split(":")[0] for v in VHR],
)
def test_every_comparison_cell_is_cited_and_grounded(name: str, facts: Facts, expected: dict) -> None:
    c = compare(facts)
    for row in c.rows:
        for pid in c.profiles:
            cell = row.cells[pid]
            assert cell.citations, (row.id, pid)
            _cell_grounded(render_statement(cell.statement, cell.params), cell.citations, facts)
    for note in c.notes:
        _cell_grounded(render_statement(note.statement, note.params), note.citations, facts)
