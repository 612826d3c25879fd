"""What the engine produces: findings with their citations, and the trace that explains them.

Nothing here knows about text rendering: a recommendation names a statement (a template key in
prompts/statements.yaml) and the parameters to fill it with; render.py turns it into words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from assistant.facts import Facts, Intent, Site

if TYPE_CHECKING:
    from assistant.engine.derived import Derived


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
    cites: list[str] = field(default_factory=list)

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
    # What the rules derive from the facts, computed once (assistant/engine/derived.py; never output).
    derived: Derived = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.derived = _derived_type()(self.facts)

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

    def memo(self, f: Facts) -> Derived:
        """What the rules derive from `f` (this assessment's facts: the memo; other facts: a fresh one)."""
        d = self.derived
        return d if d.facts is f else type(d)(f)

    def recs_index(self) -> Derived:
        """The memo, with its index of the recommendations so far (ids, sections, drugs offered) up to date."""
        return self.derived.index(self.recommendations)


_DERIVED: list[type[Derived]] = []  # the Derived class, imported on first use


def _derived_type() -> type[Derived]:
    if not _DERIVED:
        from assistant.engine.derived import Derived  # imports the topic modules, which import this one

        _DERIVED.append(Derived)
    return _DERIVED[0]


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
    out_of_scope: bool = False


_new = object.__new__
_INFO = Urgency.INFO  # read once: a read through the enum class costs about 100 ns


def recommendation(
    id: str,  # noqa: A002 - the field's name
    section: Section,
    statement: str,
    params: dict[str, Any],
    citations: list[str],
    urgency: Urgency = Urgency.INFO,
) -> Recommendation:
    """`Recommendation(...)` with every value given, for the rules' hot paths (some sixty per turn): a
    function call skips type_call's generic path. Same fields (tests/engine/test_facts_view.py compares)."""
    r = _new(Recommendation)
    r.id = id
    r.section = section
    r.statement = statement
    r.params = params
    r.citations = citations
    r.urgency = urgency
    return r


def section_recommendation(section: Section) -> Callable[..., Recommendation]:
    """A topic's maker of recommendations in its own answer section: `_rec(id, statement, citations,
    urgency=INFO, **params)`, the params given as keywords (a fresh dict). One call per recommendation, where a
    wrapper around `recommendation` would make two; it makes what `recommendation` makes."""

    def rec(rid: str, statement: str, cites: list[str], urgency: Urgency = _INFO, **params: object) -> Recommendation:
        r = _new(Recommendation)
        r.id = rid
        r.section = section
        r.statement = statement
        r.params = params
        r.citations = cites
        r.urgency = urgency
        return r

    return rec


def trace_step(rule: str, used: Sequence[str], result: str, threshold: str | None, cites: list[str]) -> TraceStep:
    """`TraceStep(...)` with every value given, as the engine records one per finding (see `recommendation`)."""
    t = _new(TraceStep)
    t.rule = rule
    t.used = used
    t.result = result
    t.threshold = threshold
    t.cites = cites
    return t


def finding(
    result: str,
    used: Sequence[str] = (),
    threshold: str | None = None,
    recommendations: Sequence[Recommendation] = (),
    category: Category | None = None,
    lowest_t_score: float | None = None,
    site: Site | None = None,
    basis: str | None = None,
    decision: Decision | None = None,
    because: Because | None = None,
    missing: Sequence[str] = (),
    very_high_risk: bool | None = None,
    out_of_scope: bool = False,
) -> Finding:
    """`Finding(...)` at about half the cost, for the rules (some thirty findings per turn): calling a class
    with keywords goes through type_call, which packs the keywords into a dict and unpacks them again; a
    function call does not. Same parameters, same defaults (tests/engine/test_facts_view.py compares them)."""
    f = _new(Finding)
    f.result = result
    f.used = used
    f.threshold = threshold
    f.recommendations = recommendations
    f.category = category
    f.lowest_t_score = lowest_t_score
    f.site = site
    f.basis = basis
    f.decision = decision
    f.because = because
    f.missing = missing
    f.very_high_risk = very_high_risk
    f.out_of_scope = out_of_scope
    return f


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

    def rule(self, rule_id: str, topic: str, cites: list[str] | tuple[str, ...] = ()) -> Callable:
        """Register `fn(facts, assessment_so_far) -> Finding | None` under `rule_id` and `topic`."""
        if topic not in TOPICS:
            raise ValueError(f"unknown topic {topic!r}; one of {TOPICS}")

        def wrap(fn: Callable) -> Callable:
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
    "profiles",  # statements of the guideline profile in use (assistant/engine/profiles.py)
)

REGISTRY = Registry()
rule = REGISTRY.rule
