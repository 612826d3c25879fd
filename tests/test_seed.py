"""The seed question, answered at least as completely as the seed answer, every statement cited."""

from __future__ import annotations

import re

import pytest

from assistant.conversation import Conversation
from assistant.corpus import default_corpus
from tests.answer_text import after_read_as
from tests.conftest import SEED_QUESTION


@pytest.fixture(scope="module")
def seed():
    reply = Conversation().ask(SEED_QUESTION)
    assert reply.answer is not None
    return reply


def test_seed_is_osteopenia_at_the_femoral_neck_and_conditional(seed) -> None:
    a = seed.answer.assessment
    assert a.facts.t_scores.get("total_hip") == -1.1
    assert a.facts.t_scores.get("femoral_neck") == -1.7
    assert a.classification.category == "osteopenia"
    assert a.classification.lowest_t_score == -1.7
    assert a.classification.site == "femoral_neck"
    assert a.decision == "conditional"
    for fact in ("age", "sex", "frax"):
        assert fact in a.missing_facts


@pytest.fixture(scope="module")
def seed_full():
    reply = Conversation(full=True).ask(SEED_QUESTION)
    assert reply.answer is not None
    return reply


def test_seed_bottom_line_comes_first_with_frax_thresholds(seed) -> None:
    head = after_read_as(seed.text).split("\n\n")[0]  # the direct answer is the first paragraph after "Read as"
    assert head.startswith("Treat: it depends on the fracture risk.")
    assert "FRAX" in head and "20%" in head and "3%" in head
    assert re.search(r"\[\d+(, \d+)*\]", head), "the bottom line is cited"


@pytest.mark.parametrize(
    "section",
    [
        "Risk stratification",
        "Evidence for treatment in low bone mass",
        "Work-up for secondary causes",
        "Universal measures",
        "Drug treatment",
        "Special groups",
    ],
)
def test_seed_has_every_section_of_the_seed_answer(seed, section: str) -> None:
    assert f"\n{section}\n" in seed.text


def test_seed_full_plan_has_the_pitfalls_the_short_answer_says_in_its_bottom_line(seed, seed_full) -> None:
    assert "\nPitfalls to avoid\n" in seed_full.text
    assert "bone density alone" in after_read_as(seed.text).split("\n")[0]


@pytest.mark.parametrize(
    "needle",
    [
        # risk stratification: FRAX inputs
        "FRAX", "parent's hip fracture", "smoking", "glucocorticoid", "rheumatoid arthritis", "alcohol",
        # evidence
        "risedronate", "number needed to treat",
        # work-up
        "blood count", "phosphate", "creatinine", "alkaline phosphatase", "TSH", "25-hydroxyvitamin D",
        "electrophoresis",
        # universal measures
        "1200 mg", "800", "30 ng/mL", "exercise", "fall",
        # drugs
        "alendronate 70 mg", "weekly", "denosumab 60 mg", "every 6 months", "35",
        # pitfalls and special groups
        "bisphosphonate", "Z-score", "men", "65",
    ],
)
def test_seed_answer_carries_the_seed_content(seed, needle: str) -> None:
    assert needle.lower() in seed.text.lower()


@pytest.mark.parametrize("needle", ["73%", "82%", "parental hip fracture", "25-OH vitamin D", "Pitfalls to avoid"])
def test_seed_full_plan_carries_the_evidence_details(seed_full, needle: str) -> None:
    assert needle.lower() in seed_full.text.lower()


def test_every_statement_of_the_seed_answer_is_cited(seed) -> None:
    for section in seed.answer.sections:
        for item in section.items:
            if section.title == "Please check":
                continue
            assert item.citations, f"uncited statement in {section.title}: {item.text}"


def test_every_citation_resolves_to_a_stored_passage(seed) -> None:
    corpus = default_corpus()
    assert seed.answer.citations
    for rid in seed.answer.citations:  # one number per reference, with the passages used under it
        assert rid in corpus.references
        assert seed.answer.passages[rid]
        assert all(corpus.passages[pid].ref == rid for pid in seed.answer.passages[rid])
    numbers = {int(n) for group in re.findall(r"\[([\d, ]+)\]", seed.text) for n in group.split(",")}
    assert numbers == set(range(1, len(seed.answer.citations) + 1))


def test_seed_answer_ends_with_disclaimer_and_invites_follow_up(seed) -> None:
    assert "Disclaimer:" in seed.text
    assert "Next:" in seed.text and "age" in seed.text.split("Next:")[1]
