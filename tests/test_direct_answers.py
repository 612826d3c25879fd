"""The direct answer: each question kind gets its own first sentence, on our own vignettes.

Every test goes through the real parser, engine and renderer with the words a clinician types, and
checks the first sentence (the question's subject in the first two lines) and the word budgets:
the default answer to the seed question within 800 words, a follow-up within 300, "ok thanks"
within 60.
"""

from __future__ import annotations

import re

import pytest

from assistant.conversation import Conversation
from tests.answer_text import after_read_as
from tests.conftest import SEED_QUESTION


def body(text: str) -> str:
    """The answer before its sources."""
    return text.split("\nSources\n")[0]


def words(text: str) -> int:
    """The answer's words before its sources, after the "Read as" line (which echoes the message, issue 15)."""
    return len(body(after_read_as(text)).split())


def first_sentence(text: str) -> str:
    first = after_read_as(text).strip().split("\n")[0]
    return re.split(r"(?<=[.?!])\s", first, maxsplit=1)[0]


def first_two_lines(text: str) -> str:
    return " ".join(line for line in after_read_as(text).strip().split("\n")[:2]).lower()


def answer(*turns: str) -> str:
    conv = Conversation(strict=True)
    reply = None
    for t in turns:
        reply = conv.ask(t)
    assert reply is not None and reply.kind == "answer", reply.text if reply else None
    return reply.text


# -- should I treat? --------------------------------------------------------------------------------
def test_treat_yes_for_osteoporosis() -> None:
    text = answer("74-year-old man, total hip T-score -2.7. Should he be treated?")
    assert first_sentence(text) == "Treat: yes."
    assert "-2.7" in first_two_lines(text)


def test_treat_depends_for_osteopenia_without_frax() -> None:
    text = answer("61-year-old woman, femoral neck T-score -1.9. Does she need treatment?")
    assert first_sentence(text) == "Treat: it depends on the fracture risk."
    assert "frax" in first_two_lines(text)


def test_treat_no_below_the_frax_thresholds() -> None:
    text = answer("63-year-old woman, femoral neck T-score -1.6, FRAX 9% major and 0.8% hip. Should we treat?")
    assert first_sentence(text) == "Treat: no."


def test_bottom_line_takes_the_current_drug_into_account() -> None:
    text = answer("69-year-old woman on alendronate for 6 years, femoral neck T-score -2.1, no fractures. What now?")
    first = first_two_lines(text)
    assert "alendronate" in first
    assert "drug treatment is indicated" not in first
    assert "drug holiday" in first


# -- which drug? ---------------------------------------------------------------------------------------
def test_which_drug_names_the_first_line_drug() -> None:
    text = answer("58-year-old woman, lumbar spine T-score -2.9. Which drug is best?")
    assert first_sentence(text).startswith("Which drug:")
    assert "alendronate 70 mg" in first_two_lines(text)


# -- can she stop? --------------------------------------------------------------------------------------
def test_stopping_denosumab_needs_a_follow_on() -> None:
    text = answer("80-year-old woman on Prolia for 3 years, T-score -2.6. Can she stop it?")
    assert first_sentence(text) == "Stop denosumab?"
    assert first_two_lines(text).startswith("stop denosumab? not without a follow-on.")
    assert "bisphosphonate" in first_two_lines(text)


# -- how long / past 3 or 5 years ------------------------------------------------------------------------
def test_how_long_after_five_years_of_alendronate() -> None:
    text = answer(
        "71-year-old woman, alendronate for 5 years, femoral neck T-score -2.0, no fractures. "
        "How long should she continue?"
    )
    assert first_sentence(text).startswith("How long on alendronate:")
    assert "holiday" in first_two_lines(text)


def test_continue_past_three_years_of_zoledronic_acid_at_high_risk() -> None:
    text = answer(
        "76-year-old woman on zoledronic acid for 3 years, hip T-score -2.7, vertebral fracture. Continue past 3 years?"
    )
    assert first_sentence(text).startswith("How long on zoledronic acid:")
    assert "continue" in first_two_lines(text)


# -- the repeat DXA --------------------------------------------------------------------------------------
def test_when_to_repeat_the_dxa_untreated() -> None:
    text = answer(
        "68-year-old woman, femoral neck T-score -1.6, FRAX 8% major and 1% hip, no treatment. When to repeat the DXA?"
    )
    assert first_sentence(text).startswith("Repeat DXA:")
    assert "years" in first_two_lines(text)


def test_can_the_dxa_wait_longer_than_the_interval() -> None:
    text = answer(
        "68-year-old woman, femoral neck T-score -1.6, FRAX 8% major and 1% hip, no treatment.",
        "can it wait 10 years?",
    )
    assert first_sentence(text) == "Can the DXA wait 10 years?"
    assert first_two_lines(text).startswith("can the dxa wait 10 years? not that long:")


def test_can_the_dxa_wait_within_the_interval() -> None:
    text = answer(
        "68-year-old woman, femoral neck T-score -1.6, FRAX 8% major and 1% hip, no treatment.",
        "could it wait two years?",
    )
    assert first_two_lines(text).startswith("can the dxa wait 2 years? yes:")


# -- labs and kidneys ------------------------------------------------------------------------------------
def test_which_labs_lists_the_tests() -> None:
    text = answer("62-year-old man, lumbar spine T-score -2.6. What labs should I order?")
    assert first_sentence(text).startswith("Labs to order:")
    first = first_two_lines(text)
    assert "complete blood count" in first and "tsh" in first


def test_kidneys_answer_names_the_egfr_with_its_unit() -> None:
    text = answer("75-year-old woman, T-score -2.8 at the hip, eGFR 25. What about her kidneys?")
    first = first_two_lines(text)
    assert first.startswith("kidneys (egfr 25 ml/min/1.73 m2):")
    assert "alendronate" in first


# -- is it safe with X? ---------------------------------------------------------------------------------
def test_dental_work_on_a_bisphosphonate() -> None:
    text = answer("Is it ok to have a tooth extracted while on risedronate?")
    assert first_sentence(text).startswith("Risedronate and dental work:")


def test_safe_with_an_unknown_drug_says_so_and_answers_the_nearest_thing() -> None:
    text = answer("Is ibandronate safe with omeprazole?")
    first = first_two_lines(text)
    assert first.startswith("ibandronate with omeprazole: i hold no rule on that combination")
    assert "nearest" in first


# -- two bone drugs together -------------------------------------------------------------------------------
def test_two_bone_drugs_together() -> None:
    text = answer("Can she take Prolia and Forteo together?")
    first = first_two_lines(text)
    assert first.startswith("denosumab and teriparatide together:")
    assert "one after the other" in first


# -- a dose early, late or missed ---------------------------------------------------------------------------
def test_denosumab_dose_given_late() -> None:
    text = answer("Her Prolia injection is 6 weeks late")
    first = first_two_lines(text)
    assert first.startswith("denosumab given late:")
    assert "must not lapse" in first


def test_denosumab_dose_given_early() -> None:
    text = answer("Her denosumab shot was given a month early?")
    assert first_two_lines(text).startswith("denosumab given early: the sources i hold give no rule for an early dose")


def test_missed_weekly_bisphosphonate() -> None:
    text = answer("She missed her weekly Fosamax")
    assert first_two_lines(text).startswith("a missed alendronate dose:")


# -- what comes after this drug? -----------------------------------------------------------------------------
def test_after_an_anabolic_comes_an_antiresorptive() -> None:
    text = answer("What comes after romosozumab?")
    assert (
        first_sentence(text) == "After romosozumab: an antiresorptive, to keep the gain; each anabolic course must be "
        "followed by one."
    )


def test_after_denosumab_comes_a_bisphosphonate() -> None:
    text = answer("What should follow Prolia?")
    assert first_sentence(text) == "After denosumab: a bisphosphonate."


# -- a question of no known kind -----------------------------------------------------------------------------
def test_unrecognised_question_says_what_it_understood_and_the_nearest_answer() -> None:
    text = answer("Does coffee matter for osteoporosis?")
    first = first_two_lines(text)
    assert first.startswith("i read this as")
    assert "did not recognise the question" in first and "nearest" in first


# -- word budgets ------------------------------------------------------------------------------------------
def test_seed_answer_is_at_most_800_words_and_keeps_every_seed_point() -> None:
    text = answer(SEED_QUESTION)
    assert words(text) <= 800, words(text)
    b = body(text).lower()
    for point in (
        "20%",
        "3%",
        "frax",
        "complete blood count",
        "tsh",
        "calcium",
        "1200 mg",
        "vitamin d",
        "800",
        "exercise",
        "fall",
        "alendronate 70 mg",
        "35",
        "never stopped without a follow-on",
        "in men",
        "z-score",
        "number needed to treat",
        "bone density alone",
    ):
        assert point in b, point
    # Each thing once: no denosumab-stop paragraph without denosumab, the kidney cut-offs once.
    assert "must never simply stop" not in b
    assert b.count("creatinine clearance of 35") == 1


def test_seed_sources_list_each_reference_once() -> None:
    conv = Conversation(strict=True)
    reply = conv.ask(SEED_QUESTION)
    assert reply.answer is not None
    sources = reply.text.split("\nSources\n")[1].split("\nDisclaimer:")[0]
    numbered = re.findall(r"^  \[(\d+)\] (.+)$", sources, flags=re.M)
    assert [int(n) for n, _ in numbered] == list(range(1, len(reply.answer.citations) + 1))
    assert len({label for _, label in numbered}) == len(numbered)
    assert "et al.." not in sources
    assert "https://" in sources  # references with a URL carry it


def test_full_plan_carries_every_recommendation() -> None:
    conv = Conversation(strict=True, full=True)
    reply = conv.ask(SEED_QUESTION)
    assert reply.answer is not None
    shown = {i.rec.id for s in reply.answer.sections for i in s.items if i.rec is not None}
    assert shown == {r.id for r in reply.answer.assessment.recommendations}
    short = Conversation(strict=True).ask(SEED_QUESTION)
    assert words(reply.text) > words(short.text)


def test_full_plan_typed_in_the_chat() -> None:
    conv = Conversation(strict=True)
    conv.ask(SEED_QUESTION)
    reply = conv.ask("full plan")
    assert reply.answer is not None and reply.answer.full
    assert "must never simply stop" in reply.text


def test_answers_about_a_man_carry_no_evidence_about_women() -> None:
    text = answer("70-year-old man, femoral neck T-score -1.8. What is the management?")
    b = body(text).lower()
    assert "women" not in b.replace("in men, and before menopause in women", "")


@pytest.mark.parametrize(
    "follow_up",
    [
        "she has an eGFR of 28",
        "She is 67; FRAX 11% major, 1.4% hip.",
        "what if her eGFR were 30?",
        "which drug?",
        "when to repeat the DXA?",
        "what labs?",
    ],
)
def test_follow_ups_stay_within_300_words(follow_up: str) -> None:
    conv = Conversation(strict=True)
    conv.ask(SEED_QUESTION)
    reply = conv.ask(follow_up)
    assert words(reply.text) <= 300, (follow_up, words(reply.text))


def test_new_fact_follow_up_says_what_changed_first() -> None:
    conv = Conversation(strict=True)
    conv.ask(SEED_QUESTION)
    reply = conv.ask("she has an eGFR of 28")
    # the new value is on the "Read as" line; the next line says what that changes, without repeating it
    assert reply.text.startswith("Read as: woman; eGFR 28.")
    assert after_read_as(reply.text).startswith("The treatment decision stays the same: conditional")
    assert "What changes is below; the rest of the plan stands" in reply.text
    assert reply.answer is not None
    assert "Drug treatment" in [s.title for s in reply.answer.sections]
    assert "Evidence for treatment in low bone mass" not in [s.title for s in reply.answer.sections]
    data = reply.answer.as_dict()
    assert data["direct"].startswith("The treatment decision stays the same")
    assert any("eGFR 28 mL/min/1.73 m2 (new)" in c for c in data["changed"])


@pytest.mark.parametrize("message", ["ok thanks", "hmm", "Great, thank you!"])
def test_acknowledgements_get_a_short_reply_without_a_plan(message: str) -> None:
    conv = Conversation(strict=True)
    conv.ask(SEED_QUESTION)
    reply = conv.ask(message)
    assert reply.kind == "message"
    assert words(reply.text) <= 60
    assert "FRAX" not in reply.text and "alendronate" not in reply.text


def test_an_unusable_message_says_so_and_what_it_can_do() -> None:
    reply = Conversation(strict=True).ask("zxqv blorp")
    assert reply.kind in ("message", "out_of_scope")
    assert "could not" in reply.text.lower() or "cover" in reply.text.lower()


def test_json_carries_the_direct_answer() -> None:
    conv = Conversation(strict=True)
    reply = conv.ask("Can she take Prolia and Forteo together?")
    assert reply.answer is not None
    data = reply.answer.as_dict()
    assert data["direct"].startswith("Denosumab and teriparatide together:")
    assert data["recommendations"]  # every recommendation stays in the JSON


# -- a situation's first step comes first, through free text (issue 16 with issue 19) ---------------
def test_aff_what_now_answers_stop_not_continue() -> None:
    text = answer("72F on alendronate for 9 years, just had an atypical femoral fracture. What now?")
    assert first_sentence(text).startswith("An atypical femur fracture changes the plan: stop the alendronate")
    assert "continue, up to 10 years" not in body(text).lower()


def test_thigh_pain_on_alendronate_images_first() -> None:
    text = answer("68yo woman, alendronate 7 years, months of dull thigh pain. What now?")
    assert "image both femurs" in first_two_lines(text)
    assert "continue, up to" not in body(text).lower()


def test_denosumab_overdue_from_text_is_given_now() -> None:
    text = answer("69-year-old woman, last Prolia shot 10 months ago. What now?")
    assert first_sentence(text).startswith("The last denosumab injection was 10 months ago")
    assert "due now" in first_two_lines(text)


def test_fracture_on_alendronate_answers_with_very_high_risk() -> None:
    text = answer("80-year-old man had a hip fracture while on alendronate for 4 years. What next?")
    assert first_sentence(text).startswith("A fracture while on alendronate counts as very high risk")


@pytest.mark.parametrize(
    ("question", "start"),
    [
        (
            "70F on hemodialysis, hip T-score -2.8, prior hip fracture. What should she take?",
            "On dialysis (CKD G4-5), CKD-mineral and bone disorder is assessed first",
        ),
        ("52F after gastric bypass, T-score -2.6 at the spine. Which drug?", "Which drug: after bariatric surgery"),
    ],
)
def test_which_drug_names_the_situation_never_a_list_lead(question: str, start: str) -> None:
    text = answer(question)
    first = after_read_as(text).strip().split("\n")[0]
    assert first.startswith(start)
    assert not first.split(" [")[0].rstrip().endswith(":")


def test_steroid_question_answers_with_the_acr_stratum() -> None:
    text = answer("62-year-old woman on prednisone 7.4 mg a day for 6 months, femoral neck T-score -1.4. Treat?")
    assert first_sentence(text) == "Treat: yes."
    assert "acr 2022" in first_two_lines(text)
