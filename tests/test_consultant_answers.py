"""Answers a consultant would sign: what the merged answers of the last session said badly, fed as real
phrases (a fracture on alendronate, a denosumab already stopped, glucocorticoids without FRAX, what-if and
new-fact follow-ups, the label references), with the words and decisions a clinician would check."""

from __future__ import annotations

import re

from assistant.conversation import Conversation
from tests.answer_text import after_read_as


def answer(text: str) -> str:
    return Conversation(strict=True).ask(text).text


def sources(text: str) -> list[str]:
    """The reference lines of an answer's Sources list ("  [3] ...")."""
    block = text.split("\nSources\n", 1)[1]
    return [line.strip() for line in block.splitlines() if re.match(r"\s+\[\d+\] ", line)]


# -- 5. a reference names its year once ---------------------------------------------------------------
def test_a_label_reference_names_its_year_once() -> None:
    text = answer("70F, femoral neck T-score -2.6, eGFR 50, which drug?")
    refs = sources(text)
    reclast = next(r for r in refs if "Reclast" in r)
    assert reclast.count("2011") == 1, reclast
    assert reclast.endswith("Reclast (zoledronic acid) prescribing information (2011 renal contraindication update).")
    for ref in refs:  # no reference says its year twice ("Osteoporos Int 2022;33 ... (2022)")
        years = re.findall(r"\b(?:19|20)\d\d\b", ref.split(" http")[0])
        assert len(years) == len(set(years)), ref


def test_the_app_sources_screen_names_the_year_once(capsys) -> None:
    from assistant.tui.sources_screen import passage_text

    conv = Conversation(strict=True)
    reply = conv.ask("70F, femoral neck T-score -2.6, eGFR 50, which drug?")
    assert reply.answer is not None
    for n, rid in enumerate(reply.answer.citations, start=1):
        shown = passage_text(reply.answer, n).plain
        head = shown.split("\n")[0]
        years = re.findall(r"\b(?:19|20)\d\d\b", head)
        assert len(years) == len(set(years)), (rid, head)


# -- 3. the glucocorticoid reason names what was given --------------------------------------------------
def test_the_glucocorticoid_reason_names_the_t_score_when_no_frax_was_given() -> None:
    direct = after_read_as(answer("68F on prednisone 10 mg daily for 6 months, FN T -2.1")).split("\n")[0]
    assert direct.startswith("Treat: yes.")
    assert "with a T-score of -2.1, this patient is at moderate risk" in direct
    assert "FRAX" not in direct.split("thresholds:", 1)[1]  # no FRAX was given, so none is named


def test_the_glucocorticoid_reason_names_the_adjusted_frax_when_given() -> None:
    text = answer("68F on prednisone 10 mg daily for 6 months, FN T -2.1, FRAX 12% / 1.5%")
    direct = after_read_as(text).split("\n")[0]
    # above 7.5 mg a day FRAX major is raised by 15% and hip by 20% (kanis-gc-2011): 12 -> 13.8, 1.5 -> 1.8
    assert "with a T-score of -2.1 and glucocorticoid-adjusted FRAX major 13.8%, hip 1.8%, this patient is at" in direct


def test_a_low_glucocorticoid_stratum_names_every_value_that_keeps_it_low() -> None:
    direct = after_read_as(answer("72F prednisone 5 mg for a year, T -0.5, FRAX 6% and 0.5%")).split("\n")[0]
    assert direct.startswith("Treat: no.")
    assert "with a T-score of -0.5 and FRAX major 6%, hip 0.5%, this patient is at low risk" in direct


# -- 2. a denosumab already stopped: what to do now, not whether to stop -------------------------------
def test_a_stopped_denosumab_is_answered_with_its_follow_on_not_with_should_she_stop() -> None:
    for said in ("stopped denosumab, what now?", "She stopped Prolia last year, what now?", "stopped denosumab"):
        direct = after_read_as(answer(said)).split("\n")[0]
        assert not direct.startswith("Stop denosumab?"), said
        assert direct.startswith("Denosumab has been stopped, so a bisphosphonate must follow: start it about 6 months")
        assert "or now if that time has passed" in direct and "Zoledronic acid is the usual follow-on" in direct


def test_a_stop_with_its_last_injection_long_ago_is_an_overdue_follow_on_not_an_overdue_dose() -> None:
    text = answer("she stopped Prolia; last injection 9 months ago")
    direct = after_read_as(text).split("\n")[0]
    assert direct.startswith(
        "Denosumab has been stopped and the last injection was 9 months ago, so its follow-on is overdue: "
        "start a bisphosphonate now."
    )
    assert "the dose is overdue" not in text and "This is not a planned stop" not in text


def test_a_stop_with_its_last_injection_recent_says_when_the_follow_on_is_due() -> None:
    text = answer("she came off denosumab after 4 years, last dose 5 months ago")
    direct = after_read_as(text).split("\n")[0]
    assert direct.startswith(
        "Denosumab has been stopped and the last injection was 5 months ago: plan a bisphosphonate to start 6 months"
        " after that injection, so that no gap opens."
    )


def test_a_stopped_denosumab_gets_no_holiday_or_review_advice_for_a_drug_no_longer_taken() -> None:
    text = answer("stopped denosumab, what now?")
    assert "No drug holiday from denosumab" not in text and "reassess after 5 to 10 years" not in text


def test_asking_whether_to_stop_a_denosumab_still_taken_keeps_its_answer() -> None:
    direct = after_read_as(answer("70F on denosumab for 5 years, can she stop?")).split("\n")[0]
    assert direct.startswith("Stop denosumab? Not without a follow-on. Denosumab must never simply stop")


# -- 1. a fracture on alendronate: the body agrees with the very-high-risk first line ------------------
HIP_FRACTURE_ON_ALENDRONATE = "72F hip fracture while on alendronate for 6 years, FN T -2.8"


def test_a_fracture_on_alendronate_is_never_told_to_continue_or_offered_a_holiday() -> None:
    for profile in ("us", "aace"):
        conv = Conversation(strict=True, profile=profile)
        text = conv.ask(HIP_FRACTURE_ON_ALENDRONATE).text
        direct = after_read_as(text).split("\n")[0]
        assert direct.startswith("A fracture while on alendronate counts as very high risk: at very high risk, AACE")
        assert "continue, up to" not in text and "consider a drug holiday" not in text
        assert (
            "Alendronate for 6 years, with a fracture on it: no drug holiday, since a fracture on treatment means the "
            "risk is still high, and no routine continuation either: a fracture on therapy also means very high risk "
            "(AACE/ACE), so the very-high-risk plan applies instead." in text
        )
        # what the fact sheet says to do first: adherence and a wider search for secondary causes
        assert "a fracture on it calls for checking that it was taken correctly and regularly" in text
        assert "A wider search for secondary causes is warranted because of a fracture despite treatment" in text


def test_a_fracture_on_alendronate_before_the_review_time_is_not_told_to_wait_for_the_review() -> None:
    text = answer("68F, fractured her wrist while on alendronate for 2 years, T -2.6. how long should she stay on it?")
    assert "the review of whether to go on or pause comes after" not in text
    assert "with a fracture on it: no drug holiday" in text


def test_without_a_very_high_risk_plan_the_asbmr_continue_stands() -> None:
    # ACP defines no very high risk: the duration advice is ASBMR's (a fracture on treatment: continue)
    text = Conversation(strict=True, profile="acp").ask(HIP_FRACTURE_ON_ALENDRONATE).text
    assert "continue, up to 10 years of oral treatment" in text and "very-high-risk plan applies" not in text


# -- 4. follow-ups lead with what changed, each thing once ----------------------------------------------
FIRST = "67F, FN T -1.7, total hip -1.1, FRAX 11% / 1.4%"


def test_a_what_if_leads_with_its_effect_on_the_decision_and_names_its_value_once() -> None:
    conv = Conversation(strict=True)
    conv.ask(FIRST)
    text = conv.ask("what if her eGFR were 30?").text
    read_as, direct = text.split("\n")[:2]
    assert "'eGFR 30' (a what-if, not the patient's)" in read_as
    assert direct.startswith(
        "Hypothetical, the recorded facts unchanged: in this what-if the treatment decision stays the same: "
        "not indicated. Kidneys (eGFR 30 mL/min/1.73 m2): do not start alendronate or zoledronic acid"
    )
    assert "Hypothetical (what-if): eGFR 30" not in text  # the Read-as line already named the value
    assert "BOTTOM LINE" not in text


def test_a_what_if_that_asks_about_treatment_says_the_verdict_once() -> None:
    conv = Conversation(strict=True)
    conv.ask(FIRST)
    direct = conv.ask("and if she were a man?").text.split("\n")[1]
    assert direct.count("not indicated") == 2 and "Treat: no." not in direct  # the verdict, then its reason


def test_a_new_fact_that_leaves_the_decision_says_so_first_and_does_not_restate_the_bottom_line() -> None:
    conv = Conversation(strict=True)
    conv.ask(FIRST)
    text = conv.ask("her eGFR is 28").text
    assert after_read_as(text).startswith("The treatment decision stays the same: not indicated. What changes is below")
    assert "BOTTOM LINE" not in text and "FRAX major 11% is below 20%" not in text
    # the CKD G4-5 advice once: the situation's statement, not also the special-groups caution
    assert text.count("CKD-mineral and bone disorder") == 1


def test_what_about_a_drug_is_answered_with_what_the_plan_says_about_it() -> None:
    conv = Conversation(strict=True)
    conv.ask("70F FN T -2.7")
    direct = after_read_as(conv.ask("what about Prolia?").text).split("\n")[0]
    assert "the nearest I can answer is what the plan says about denosumab: Denosumab 60 mg" in direct
    assert "Treat: yes." not in direct


def test_a_denosumab_stop_already_followed_by_a_bisphosphonate_is_not_asked_about_again() -> None:
    conv = Conversation(strict=True)
    conv.ask("72F on alendronate for 2 years, FN T -2.8")
    direct = after_read_as(conv.ask("stopped denosumab, what now?").text).split("\n")[0]
    assert direct.startswith("Denosumab was stopped and a bisphosphonate followed, as it must.")


def test_without_bone_data_a_patient_on_a_drug_is_not_asked_whether_to_start() -> None:
    for said in ("stopped denosumab", "she is on alendronate"):
        text = answer(said)
        assert "BOTTOM LINE: Whether drug treatment should go on cannot be decided from these facts" in text, said
        assert "Whether to start drug treatment" not in text
    assert "Whether to start drug treatment cannot be decided yet" in answer("what should I do?")
