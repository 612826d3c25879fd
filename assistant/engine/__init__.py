"""The guideline engine: Facts -> Assessment, by small rules grouped by topic, each traced and cited."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from assistant.engine.model import (
    REGISTRY,
    TOPICS,
    Assessment,
    Category,
    Decision,
    Finding,
    Recommendation,
    Rule,
    Section,
    trace_step,
)
from assistant.facts import Facts, Intent

__all__ = [
    "assess",
    "all_rules",
    "Assessment",
    "Category",
    "Decision",
    "Finding",
    "Recommendation",
    "Section",
]

# One module per topic; a topic without its module yet is simply skipped.
_RULE_MODULES = [f"assistant.engine.{topic}" for topic in TOPICS]
_loaded = False
_ordered: list[Rule] = []
_steps: tuple[tuple[Callable[[Facts, Assessment], Finding | None], Rule], ...] = ()  # (rule.fn, rule), in order
_deciding_steps: tuple[tuple[Callable[[Facts, Assessment], Finding | None], Rule], ...] = ()  # DECIDING_TOPICS


def _load_rules() -> list[Rule]:
    global _loaded, _ordered, _steps, _deciding_steps
    if not _loaded:
        for name in _RULE_MODULES:
            try:
                importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
        order = {t: i for i, t in enumerate(TOPICS)}
        _ordered = sorted(REGISTRY.rules, key=lambda r: order[r.topic])  # stable within a topic
        _steps = tuple((r.fn, r) for r in _ordered)
        _deciding_steps = tuple((r.fn, r) for r in _ordered if r.topic in DECIDING_TOPICS)
        _loaded = True
    return _ordered


def all_rules() -> list[Rule]:
    return list(_load_rules())


def _apply(a: Assessment, rule: Rule, f: Finding) -> None:
    cites: list[str] = list(rule.cites)
    # Citations the trace adds to the rule's own: the recommendations', then the reason's, each once, in
    # order of first appearance (dict.fromkeys keeps that order).
    extra: list[str] = []
    if f.recommendations:
        a.recommendations.extend(f.recommendations)
        for rec in f.recommendations:
            extra += rec.citations
    if f.category is not None:
        a.classification.category = f.category
        a.classification.lowest_t_score = f.lowest_t_score
        a.classification.site = f.site
        a.classification.basis = f.basis
    if f.decision is not None:
        a.decision = f.decision
        a.because = f.because
        if f.because:
            extra += f.because.citations
    if extra and not rule.cite_set.issuperset(extra):  # usually the rule already cites them all
        added = dict.fromkeys(extra)
        for c in cites:
            added.pop(c, None)
        cites += added
    if f.missing:
        for m in f.missing:
            if m not in a.missing_facts:
                a.missing_facts.append(m)
    if f.very_high_risk is not None:
        a.very_high_risk = f.very_high_risk
    if f.out_of_scope:
        a.in_scope = False
    a.trace.append(trace_step(rule.id, f.used, f.result, f.threshold, cites))


# The topics whose rules set the classification, the treatment decision and its reason, and the very-high-risk
# flag; no later topic sets them (tests/engine/test_deciding.py checks it on every transcript's facts).
DECIDING_TOPICS: tuple[str, ...] = ("scope", "diagnosis", "risk", "decision")


def assess(
    facts: Facts, intent: Intent = Intent.MANAGEMENT_OVERALL, profile: str = "us", *, decision_only: bool = False
) -> Assessment:
    """Run every rule in topic order over the facts. Pure: the same input gives the same output.

    `decision_only`: run only the DECIDING_TOPICS, for callers that read nothing but the classification,
    the decision (and its reason) and the very-high-risk flag (the guideline comparison, the search for the
    fact that changed a decision): the same values as a whole assessment, for less than half the work."""
    a = Assessment(facts=facts, intent=intent, profile=profile)
    if not _loaded:
        _load_rules()
    view = a.derived.view  # the facts' fields and helpers, read as plain attributes (engine/derived.py)
    for fn, rule in _deciding_steps if decision_only else _steps:
        finding = fn(view, a)  # type: ignore[arg-type]
        if finding is not None:
            _apply(a, rule, finding)
            if not a.in_scope:  # only a finding takes the question out of scope
                break
    return a
