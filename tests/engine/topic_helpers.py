"""Helpers for the vignette tests of the engine's later topics (work-up to duration)."""

from __future__ import annotations

from assistant.corpus import default_corpus
from assistant.engine import _apply, all_rules
from assistant.engine.knowledge.derived import derive
from assistant.engine.model import Assessment, Category, Decision, Recommendation
from assistant.facts import Facts, Intent
from assistant.statements import render_statement

ENGINE_B = {"workup", "universal", "drugs", "safety", "monitoring", "duration"}


def run_b(
    facts: Facts,
    decision: Decision = Decision.NA,
    intent: Intent = Intent.MANAGEMENT_OVERALL,
    very_high_risk: bool | None = None,
    category: Category | None = None,
) -> Assessment:
    """Engine B's topics over a hand-built assessment (engine A's topics stand in as given)."""
    a = Assessment(facts=facts, intent=intent, decision=decision, very_high_risk=very_high_risk, derived=derive(facts))
    a.classification.category = category
    for r in all_rules():
        if r.topic in ENGINE_B:
            finding = r.fn(facts, a)
            if finding is not None:
                _apply(a, r, finding)
    return a


def texts(a: Assessment) -> dict[str, str]:
    """Recommendation id -> rendered text, for engine B's sections; every citation must resolve."""
    passages = default_corpus().passages
    out: dict[str, str] = {}
    for r in a.recommendations:
        assert r.citations, r.id
        for c in r.citations:
            assert c in passages, (r.id, c)
        out[r.id] = render_statement(r.statement, r.params)
    return out


def ids(a: Assessment) -> set[str]:
    return {r.id for r in a.recommendations}


def cites(a: Assessment, rid: str) -> list[str]:
    return next(r.citations for r in a.recommendations if r.id == rid)


def rec(a: Assessment, rid: str) -> Recommendation:
    return next(r for r in a.recommendations if r.id == rid)
