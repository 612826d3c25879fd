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
