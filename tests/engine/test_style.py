"""One style across topics (issue 14): rule ids kebab-case with their topic's prefix (the registry refuses any
other, as statements.check_statements refuses a key in another style), every rule with a docstring and named by
a test, the Risk section in its stated order whichever topic a statement comes from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.conversation import Conversation
from assistant.engine import all_rules
from assistant.engine.model import RISK_SECTION_ORDER, TOPIC_PREFIXES, TOPICS, Registry, Section

TESTS = Path(__file__).resolve().parents[1]


def test_every_rule_id_is_kebab_case_with_its_topic_prefix() -> None:
    assert set(TOPIC_PREFIXES) == set(TOPICS)
    assert len(set(TOPIC_PREFIXES.values())) == len(TOPIC_PREFIXES)  # a prefix names one topic
    for r in all_rules():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", r.id), r.id
        assert r.id.startswith(TOPIC_PREFIXES[r.topic] + "-"), (r.id, r.topic)


@pytest.mark.parametrize(
    "rule_id, topic",
    [
        ("treat-frax-at-threshold", "decision"),  # no topic prefix
        ("risk-frax-vs-thresholds", "decision"),  # another topic's prefix
        ("decision_treat", "decision"),  # snake_case
        ("Decision-Treat", "decision"),  # capitals
        ("decision-", "decision"),  # a prefix alone
    ],
)
def test_the_registry_refuses_an_id_in_another_style(rule_id: str, topic: str) -> None:
    with pytest.raises(ValueError, match="kebab-case"):
        Registry().rule(rule_id, topic=topic)(lambda f, a: None)


def test_the_registry_takes_an_id_in_the_style() -> None:
    reg = Registry()
    reg.rule("decision-treat-something", topic="decision")(lambda f, a: None)
    assert [r.id for r in reg.rules] == ["decision-treat-something"]


def test_every_rule_has_a_docstring() -> None:
    assert [r.id for r in all_rules() if not (r.fn.__doc__ or "").strip()] == []


def test_every_rule_id_is_named_by_a_test() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py") if p.name != "test_style.py")
    assert [r.id for r in all_rules() if f'"{r.id}"' not in text] == []


def test_the_risk_rules_run_in_the_risk_topic() -> None:
    assert all(r.topic == "risk" for r in all_rules() if r.id.startswith("risk-"))


def test_the_risk_section_keeps_its_stated_order() -> None:
    """AACE, very high risk with FRAX given and glucocorticoids: the FRAX adjustment (risk topic), the very-high-risk
    verdict (decision topic), then FRAX against the thresholds and as given against adjusted (risk topic)."""
    conv = Conversation(profile="aace")
    reply = conv.ask(
        "72-year-old woman, femoral neck T-score -2.8, FRAX 35% major and 5% hip, on prednisone 10 mg daily"
    )
    a = conv.last_assessment
    assert a is not None
    risk = [r.id for r in a.recommendations if r.section == Section.RISK]
    assert risk == [i for i in RISK_SECTION_ORDER if i in risk]
    assert {"risk-frax-gc-adjust", "very-high-risk", "risk-frax-vs-thresholds", "risk-frax-raw-and-adjusted"} <= set(
        risk
    )
    assert risk.index("very-high-risk") < risk.index("risk-frax-vs-thresholds")
    full = conv.ask("full plan").text
    section = full[full.index("Risk stratification") :]
    assert section.index("Very high fracture risk") < section.index("against a threshold of")
    assert reply.text
