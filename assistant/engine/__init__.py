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
    TraceStep,
)
from assistant.facts import Facts, Intent

_new = object.__new__

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


def _trace_cites(rule: Rule, f: Finding) -> list[str]:
    """The rule's citations, then those its finding's recommendations and reason add, each once, in order of
    first appearance (dict.fromkeys keeps that order)."""
    extra: list[str] = []
    for rec in f.recommendations:
        extra += rec.citations
    if f.decision is not None and f.because:
        extra += f.because.citations
    added = dict.fromkeys(extra)
    for c in rule.cites:
        added.pop(c, None)
    return [*rule.cites, *added]


def _apply(a: Assessment, rule: Rule, f: Finding) -> None:
    cites: list[str] | None = None  # the trace's citations: the rule's own, unless the finding cites more
    recs = f.recommendations
    if recs:
        a.recommendations += recs
        cite_set = rule.cite_set
        for rec in recs:
            if not cite_set.issuperset(rec.citations):  # usually the rule already cites them all
                cites = _trace_cites(rule, f)
                break
    if f.category is not None:
        c = a.classification
        c.category = f.category
        c.lowest_t_score = f.lowest_t_score
        c.site = f.site
        c.basis = f.basis
    if f.decision is not None:
        a.decision = f.decision
        a.because = because = f.because
        if because and cites is None and not rule.cite_set.issuperset(because.citations):
            cites = _trace_cites(rule, f)
    if f.missing:
        missing = a.missing_facts
        for m in f.missing:
            if m not in missing:
                missing.append(m)
    if f.very_high_risk is not None:
        a.very_high_risk = f.very_high_risk
    if f.out_of_scope:
        a.in_scope = False
    # The trace step, made as trace_step(...) makes it (inline: one per finding).
    t = _new(TraceStep)
    t.rule = rule.id
    t.used = f.used
    t.result = f.result
    t.threshold = f.threshold
    t.cites = list(rule.cites) if cites is None else cites
    a.trace.append(t)


# The topics whose rules set the classification, the treatment decision and its reason, and the very-high-risk
# flag; no later topic sets them (tests/engine/test_deciding.py checks it on every transcript's facts).
DECIDING_TOPICS: tuple[str, ...] = ("scope", "diagnosis", "risk", "decision", "situations")


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
