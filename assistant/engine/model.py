"""What the engine produces: findings with their citations, and the trace that explains them.

Nothing here knows about text rendering: a recommendation names a statement (a template key in
prompts/statements.yaml) and the parameters to fill it with; render.py turns it into words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from assistant.facts import Facts, Intent, Site


class Category(StrEnum):
    NORMAL = "normal"
    OSTEOPENIA = "osteopenia"
    OSTEOPOROSIS = "osteoporosis"
    SEVERE_OSTEOPOROSIS = "severe_osteoporosis"
    BELOW_EXPECTED_FOR_AGE = "below_expected_for_age"
    WITHIN_EXPECTED_FOR_AGE = "within_expected_for_age"


class Decision(StrEnum):
    YES = "yes"
    NO = "no"
    CONDITIONAL = "conditional"
    NA = "n/a"


class Urgency(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class Section(StrEnum):
    """Answer sections, in the order they are shown."""

    BOTTOM_LINE = "Bottom line"
    CLARIFY = "Please check"
    DIAGNOSIS = "Diagnosis"
    RISK = "Risk stratification"
    EVIDENCE = "Evidence for treatment in low bone mass"
    WORKUP = "Work-up for secondary causes"
    UNIVERSAL = "Universal measures"
    DRUGS = "Drug treatment"
    SAFETY = "Safety"
    MONITORING = "Monitoring"
    DURATION = "Duration and drug holidays"
    PITFALLS = "Pitfalls to avoid"
    SPECIAL = "Special groups"
    SCOPE = "What I cover"


SECTION_ORDER: tuple[Section, ...] = tuple(Section)

# The Risk section's statements in the order the answer shows them, by recommendation id: what FRAX needs and how
# it was adjusted (risk topic), the very-high-risk verdict (decision topic: it needs the decision), then FRAX
# against the profile's thresholds (risk topic). assess() orders the section by this list, not by the order the
# topics run in; an id not listed follows the listed ones, in the order its rule ran.
RISK_SECTION_ORDER: tuple[str, ...] = (
    "risk-frax-inputs",
    "risk-frax-gc-adjust",
    "risk-frax-spine-offset",
    "risk-frax-t2d",
    "risk-frax-on-treatment",
    "very-high-risk",
    "very-high-risk-undefined",
    "risk-frax-no-threshold",
    "risk-frax-vs-thresholds",
    "risk-frax-raw-and-adjusted",
)


@dataclass(slots=True)
class Recommendation:
    """One statement of the answer: which template, with what values, citing which passages."""

    id: str
    section: Section
    statement: str  # key in prompts/statements.yaml
    params: dict[str, Any] = field(default_factory=dict)
    citations: list[str] = field(default_factory=list)  # passage ids (at least one: checked by the tests)
    urgency: Urgency = Urgency.INFO


@dataclass(slots=True)
class TraceStep:
    """What one rule saw and concluded."""

    rule: str
    used: Sequence[str]  # fact paths the rule read
    result: str
    threshold: str | None = None
    cites: Sequence[str] = ()  # passage ids; the rule's own tuple when the finding cites nothing more

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "used": list(self.used),
            "result": self.result,
            "threshold": self.threshold,
            "cites": list(self.cites),
        }


@dataclass(slots=True)
class Classification:
    category: Category | None = None
    lowest_t_score: float | None = None
    site: Site | None = None
    basis: str | None = None  # "bmd", "fracture", "z-score", "stated"


@dataclass(slots=True)
class Because:
    statement: str
    params: dict[str, Any] = field(default_factory=dict)
    citations: list[str] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class Derived:
    """Values many rules read, derived from the facts once per assessment (knowledge/derived.py makes them)."""

    lowest_t: tuple[float, Site | None] | None  # the lowest T-score and its site
    uses_z_scores: bool  # premenopausal women and men under 50 (ISCD)
    current: tuple[str, ...]  # osteoporosis drugs taken now, canonical names
    taken: frozenset[str]  # osteoporosis drugs taken now or before, canonical names
    frax: Any  # knowledge.frax.FraxView | None: FRAX as given and as adjusted


@dataclass(slots=True)
class Assessment:
    """The engine's whole output for one set of facts and one question.

    A slots dataclass, not a pydantic model: the rules read its fields some three hundred times per
    assessment, and a pydantic model's attribute read goes through BaseModel.__getattr__'s slow path
    (measured 45 ns against 13 ns for a plain read on this machine). It is never validated or dumped as a model.
    """

    facts: Facts
    intent: Intent
    profile: str = "us"
    in_scope: bool = True
    classification: Classification = field(default_factory=Classification)
    decision: Decision = Decision.NA
    because: Because | None = None
    recommendations: list[Recommendation] = field(default_factory=list)
    missing_facts: list[str] = field(default_factory=list)  # most decisive first
    trace: list[TraceStep] = field(default_factory=list)
    very_high_risk: bool | None = None
    # What the rules conclude for other rules to read, by name (set from the findings by the engine):
    very_high_risk_reasons: dict[str, object] = field(default_factory=dict)  # criterion -> value (very-high-risk)
    sequence_advised: bool = False  # the anabolic-then-antiresorptive sequence has been advised
    drugs_offered: list[str] = field(default_factory=list)  # drugs offered as a new start, canonical names
    renal_limits_listed: bool = False  # the drugs' kidney limits have been listed
    # What the rules derive from the facts, computed once by assess() (knowledge/derived.py; never output).
    derived: Derived = field(kw_only=True, repr=False, compare=False)

    def cited_passages(self) -> list[str]:
        seen: dict[str, None] = {}
        if self.because:
            for c in self.because.citations:
                seen.setdefault(c, None)
        for r in self.recommendations:
            for c in r.citations:
                seen.setdefault(c, None)
        return list(seen)

    def section(self, section: Section) -> list[Recommendation]:
        return [r for r in self.recommendations if r.section == section]


@dataclass(slots=True)
class Finding:
    """What one rule concluded. The engine applies it to the assessment and records the trace."""

    # A finding is never changed once made, so the sequences default to an empty tuple: a dataclass
    # with list factories costs about twice as much to make, and a turn makes some thirty findings.
    result: str  # short conclusion for the trace, e.g. "osteopenia (lowest T -1.7 at femoral neck)"
    used: Sequence[str] = ()  # fact paths read, e.g. ["t_scores", "frax.major"]
    threshold: str | None = None  # e.g. "FRAX major >= 20% or hip >= 3%"
    recommendations: Sequence[Recommendation] = ()
    category: Category | None = None  # set the classification (diagnosis rules)
    lowest_t_score: float | None = None
    site: Site | None = None
    basis: str | None = None
    decision: Decision | None = None  # set the treatment decision (decision rules; last one wins)
    because: Because | None = None
    missing: Sequence[str] = ()  # facts that would change the answer
    very_high_risk: bool | None = None
    very_high_risk_reasons: dict[str, object] | None = None
    sequence_advised: bool = False
    offers: Sequence[str] = ()  # drugs offered as a new start (canonical names)
    renal_limits_listed: bool = False
    out_of_scope: bool = False


def section_recommendation(section: Section) -> Callable[..., Recommendation]:
    """A topic's maker of recommendations in its own answer section: `_rec(id, statement, citations,
    urgency=INFO, **params)`, the params given as keywords."""

    def rec(
        rid: str, statement: str, cites: list[str], urgency: Urgency = Urgency.INFO, **params: object
    ) -> Recommendation:
        return Recommendation(rid, section, statement, params, cites, urgency)

    return rec


@dataclass
class Rule:
    id: str
    topic: str
    cites: tuple[str, ...]
    fn: Callable[[Facts, Assessment], Finding | None]
    cite_set: frozenset[str] = field(init=False, repr=False, compare=False)  # for the trace's citations

    def __post_init__(self) -> None:
        self.cite_set = frozenset(self.cites)


@dataclass
class Registry:
    rules: list[Rule] = field(default_factory=list)

    def rule(self, rule_id: str, topic: str | None = None, cites: list[str] | tuple[str, ...] = ()) -> Callable:
        """Register `fn(facts, assessment_so_far) -> Finding | None` under `rule_id`, in `topic` (by default the
        name of the rule's module in assistant/engine/rules/)."""

        def wrap(fn: Callable) -> Callable:
            nonlocal topic
            topic = topic or fn.__module__.rsplit(".", 1)[-1]
            if topic not in TOPICS:
                raise ValueError(f"unknown topic {topic!r} for rule {rule_id!r}; one of {TOPICS}")
            if not rule_id_style_ok(rule_id, topic):
                raise ValueError(
                    f"rule id {rule_id!r}: ids are kebab-case and start with their topic's prefix "
                    f"{TOPIC_PREFIXES[topic]!r}-"
                )
            if any(r.id == rule_id for r in self.rules):
                raise ValueError(f"duplicate rule id {rule_id!r}")
            self.rules.append(Rule(rule_id, topic, tuple(cites), fn))
            fn.rule_id = rule_id  # type: ignore[attr-defined]
            return fn

        return wrap


# Rules run topic by topic in this order; within a topic, in registration order.
TOPICS: tuple[str, ...] = (
    "scope",
    "diagnosis",
    "risk",
    "decision",
    "situations",  # situations with their own first step (issue 16): after the generic decision, deciding
    "evidence",
    "workup",
    "universal",
    "drugs",
    "safety",
    "monitoring",
    "duration",
    "special",
    "pitfalls",
    "profiles",  # statements of the guideline profile in use (assistant/engine/rules/profiles.py)
)

# Each topic's rule ids start with its prefix and a hyphen; ids are kebab-case (lower-case words joined by '-'),
# like statement keys (statements.check_statements). Registry.rule refuses any other id.
TOPIC_PREFIXES: dict[str, str] = {
    "scope": "scope",
    "diagnosis": "dx",
    "risk": "risk",
    "decision": "decision",
    "situations": "situation",
    "evidence": "evidence",
    "workup": "workup",
    "universal": "universal",
    "drugs": "drug",
    "safety": "safety",
    "monitoring": "monitor",
    "duration": "duration",
    "special": "special",
    "pitfalls": "pitfall",
    "profiles": "profile",
}
_RULE_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)+")


def rule_id_style_ok(rule_id: str, topic: str) -> bool:
    """A rule id in the house style: kebab-case, its topic's prefix first."""
    return bool(_RULE_ID.fullmatch(rule_id)) and rule_id.startswith(TOPIC_PREFIXES[topic] + "-")


REGISTRY = Registry()
rule = REGISTRY.rule
