"""The engine's cheaper stand-ins must answer exactly as what they stand for: FactsView (the facts the rules
read) as Facts, finding(...), recommendation(...) and trace_step(...) as the dataclasses."""

from __future__ import annotations

import inspect
from dataclasses import MISSING, fields

from assistant.engine import _apply, all_rules, assess
from assistant.engine.derived import FactsView
from assistant.engine.model import (
    Assessment,
    Because,
    Category,
    Decision,
    Finding,
    Recommendation,
    Section,
    TraceStep,
    Urgency,
    finding,
    recommendation,
    trace_step,
)
from assistant.facts import Facts, Frax, Intent, Medication, Menopause, Sex, Site, Status

FACTS = Facts(
    age=58,
    sex=Sex.FEMALE,
    menopause=Menopause.POST,
    t_scores={Site.FEMORAL_NECK: -2.1, Site.LUMBAR_SPINE: -2.7},
    z_scores={Site.FEMORAL_NECK: -0.9},
    frax=Frax(major=14.0, hip=2.1),
    egfr=42.0,
    medications=[Medication(name="alendronate", status=Status.HISTORICAL, years=6)],
    conditions={"smoking": True, "falls": False},
)


def test_view_has_every_field_and_helper_of_facts() -> None:
    view = FactsView(FACTS)
    for name in Facts.model_fields:
        assert getattr(view, name) is getattr(FACTS, name), name
    assert view.has("smoking") and not view.has("falls") and view.condition("falls") is False
    assert view.condition("dialysis") is None
    assert view.lowest_t() == FACTS.lowest_t() == (-2.7, Site.LUMBAR_SPINE)
    assert view.lowest_z() == FACTS.lowest_z()
    assert view.drug("alendronate") is FACTS.drug("alendronate")
    assert view.current_drugs() == FACTS.current_drugs() == []
    assert view.is_female is True
    assert view.contract_dict() == FACTS.contract_dict()


def test_rules_over_the_view_conclude_as_over_the_facts() -> None:
    """Every rule, run by hand over the pydantic facts, gives the trace that assess (over the view) gives."""
    by_view = assess(FACTS, Intent.MANAGEMENT_OVERALL)
    by_hand = Assessment(facts=FACTS, intent=Intent.MANAGEMENT_OVERALL)

    for r in all_rules():
        finding = r.fn(FACTS, by_hand)
        if finding is not None:
            _apply(by_hand, r, finding)
    assert [t.as_dict() for t in by_view.trace] == [t.as_dict() for t in by_hand.trace]
    assert by_view.recommendations == by_hand.recommendations
    assert by_view.decision == by_hand.decision


def test_finding_maker_matches_the_dataclass() -> None:
    """`finding(...)` (the rules' cheaper maker) takes Finding's fields, with its defaults, and makes the same."""
    params = inspect.signature(finding).parameters
    assert list(params) == [f.name for f in fields(Finding)]
    for f in fields(Finding):
        default = f.default if f.default is not MISSING else inspect.Parameter.empty
        assert params[f.name].default == default, f.name
    assert finding("r") == Finding("r")
    full = {
        "result": "r",
        "used": ["age"],
        "threshold": "t",
        "recommendations": [Recommendation("x", Section.DRUGS, "x")],
        "category": Category.OSTEOPENIA,
        "lowest_t_score": -1.5,
        "site": Site.TOTAL_HIP,
        "basis": "bmd",
        "decision": Decision.YES,
        "because": Because("s"),
        "missing": ["egfr"],
        "very_high_risk": True,
        "out_of_scope": True,
    }
    assert finding(**full) == Finding(**full)


def test_recommendation_and_trace_step_makers_match_the_dataclasses() -> None:
    assert list(inspect.signature(recommendation).parameters) == [f.name for f in fields(Recommendation)]
    assert list(inspect.signature(trace_step).parameters) == [f.name for f in fields(TraceStep)]
    args = ("x", Section.SAFETY, "s", {"a": 1}, ["c"])
    assert recommendation(*args) == Recommendation(*args)
    assert recommendation(*args, Urgency.CRITICAL) == Recommendation(*args, Urgency.CRITICAL)
    assert trace_step("r", ["age"], "res", None, ["c"]) == TraceStep("r", ["age"], "res", None, ["c"])
