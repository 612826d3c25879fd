"""The guideline engine: Facts -> Assessment, by small rules grouped by topic, each traced and cited.

Layout (lower layers never import higher ones; tests/engine/test_layout.py checks there is no circle and no
import inside a function):

    model.py        the data: Assessment, Finding, Recommendation, the rule registry and the topic order
    knowledge/      what the engine knows, as data and pure functions: thresholds (corpus/thresholds.yaml),
                    bone density categories, fractures, FRAX, drugs, very-high-risk criteria, profiles
    rules/          the rules, one module per topic, importing the model and the knowledge only
    compare.py      the same facts under every guideline profile, side by side
    __init__.py     assess(): derives the shared values once, runs the rules in topic order, applies findings

To add a rule: write `fn(f: Facts, a: Assessment) -> Finding | None` in the topic's module under rules/ and
decorate it with `@rule("prefix-what-it-decides", cites=["ref#passage", ...])` (the topic is the module's name;
ids are kebab-case and start with the topic's prefix from model.TOPIC_PREFIXES; the registry refuses others).
Give it a docstring saying what it concludes and from which source, name its statement in
prompts/statements/<topic>.yaml (kebab-case too), and name the rule id in a test. If other rules need what it
concludes, add a named field to Assessment and Finding (as `drugs_offered` or `very_high_risk_reasons`) and set
it in `_apply` below; never scan ids or citations.

To add a threshold: add an entry to corpus/thresholds.yaml (id, value, unit, comparison, passage, and profile
when it differs by profile), read it with `threshold(ID).value` from
assistant.engine.knowledge.thresholds, and let statements show it through their parameters or
`{{ threshold(ID) | num }}`; never retype the number. `assistant corpus check` validates the file.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.engine import rules as _rules  # noqa: F401 - registers every rule
from assistant.engine.knowledge.derived import derive
from assistant.engine.model import (
    REGISTRY,
    RISK_SECTION_ORDER,
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

# The topics whose rules set the classification, the treatment decision and its reason, and the very-high-risk
# flag; no later topic sets them (tests/engine/test_deciding.py checks it on every transcript's facts).
DECIDING_TOPICS: tuple[str, ...] = ("scope", "diagnosis", "risk", "decision", "situations")

_TOPIC_ORDER = {t: i for i, t in enumerate(TOPICS)}
_ORDERED: tuple[Rule, ...] = tuple(sorted(REGISTRY.rules, key=lambda r: _TOPIC_ORDER[r.topic]))  # stable in a topic
_DECIDING: tuple[Rule, ...] = tuple(r for r in _ORDERED if r.topic in DECIDING_TOPICS)


def all_rules() -> list[Rule]:
    """Every rule, in the order assess() runs them."""
    return list(_ORDERED)


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


_RISK_RANK = {rid: i for i, rid in enumerate(RISK_SECTION_ORDER)}
_RISK = Section.RISK


def _order_risk_section(recs: list[Recommendation]) -> None:
    """Put the Risk section's recommendations in RISK_SECTION_ORDER, in the places the section holds in `recs`."""
    places = [i for i, r in enumerate(recs) if r.section is _RISK]
    if len(places) > 1:
        ordered = sorted((recs[i] for i in places), key=lambda r: _RISK_RANK.get(r.id, len(_RISK_RANK)))
        for i, r in zip(places, ordered, strict=True):
            recs[i] = r


def _apply(a: Assessment, rule: Rule, f: Finding) -> None:
    cites: Sequence[str] = rule.cites  # the trace's citations: the rule's own (shared), unless the finding cites more
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
        if because and cites is rule.cites and not rule.cite_set.issuperset(because.citations):
            cites = _trace_cites(rule, f)
    if f.missing:
        missing = a.missing_facts
        for m in f.missing:
            if m not in missing:
                missing.append(m)
    if f.very_high_risk is not None:
        a.very_high_risk = f.very_high_risk
    if f.very_high_risk_reasons is not None:
        a.very_high_risk_reasons = f.very_high_risk_reasons
    if f.sequence_advised:
        a.sequence_advised = True
    if f.offers:
        a.drugs_offered += [d for d in f.offers if d not in a.drugs_offered]
    if f.renal_limits_listed:
        a.renal_limits_listed = True
    if f.out_of_scope:
        a.in_scope = False
    a.trace.append(TraceStep(rule.id, f.used, f.result, f.threshold, cites))


def assess(
    facts: Facts, intent: Intent = Intent.MANAGEMENT_OVERALL, profile: str = "us", *, decision_only: bool = False
) -> Assessment:
    """Run every rule in topic order over the facts. Pure: the same input gives the same output.

    `decision_only`: run only the DECIDING_TOPICS, for callers that read nothing but the classification,
    the decision (and its reason) and the very-high-risk flag (the guideline comparison, the search for the
    fact that changed a decision): the same values as a whole assessment, for less than half the work."""
    a = Assessment(facts=facts, intent=intent, profile=profile, derived=derive(facts))
    for rule in _DECIDING if decision_only else _ORDERED:
        finding = rule.fn(facts, a)
        if finding is not None:
            _apply(a, rule, finding)
            if not a.in_scope:  # only a finding takes the question out of scope
                break
    if not decision_only:
        _order_risk_section(a.recommendations)
    return a
