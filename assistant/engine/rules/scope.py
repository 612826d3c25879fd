"""Scope: questions outside bone health get a plain statement of what is covered."""

from __future__ import annotations

from assistant.engine.model import Assessment, Finding, Recommendation, Section, rule
from assistant.facts import Facts, Intent

SCOPE_CITES = ["bhof-2022#guide-scope"]


@rule("scope-out-of-scope", topic="scope", cites=SCOPE_CITES)
def out_of_scope(f: Facts, a: Assessment) -> Finding | None:
    """A question the parser could not place in bone health: say so and say what is covered."""
    if a.intent != Intent.OUT_OF_SCOPE:
        return None
    return Finding(
        result="outside bone health: answered with what is covered",
        used=["intent"],
        out_of_scope=True,
        recommendations=[
            Recommendation(
                id="scope-covered",
                section=Section.SCOPE,
                statement="scope-covered",
                citations=SCOPE_CITES,
            )
        ],
    )
