"""Guideline profiles: which guideline's rules the engine follows (corpus/profiles.yaml), and the rules that
say, in an answer given under a profile other than the US default, what that profile encodes and leaves out.

Rules elsewhere consult the profile through `profile_of(assessment)` (thresholds, very-high-risk scheme,
which fracture-based criteria apply) instead of testing profile names. The US default profile adds no
statement of its own, so US answers are unchanged.
"""

from __future__ import annotations

from typing import Any

from assistant.engine.knowledge.profiles import banner_cites, profile_of, women_only_outside
from assistant.engine.model import Assessment, Finding, Recommendation, Section, rule
from assistant.facts import Facts


@rule("profile-basis", topic="profiles")
def profile_basis(f: Facts, a: Assessment) -> Finding | None:
    """Name the profile the answer follows and what it encodes (non-default profiles only)."""
    p = profile_of(a)
    if p.is_default or not a.in_scope:
        return None
    params: dict[str, Any] = {
        "profile": p.id,
        "name": p.name,
        "man": women_only_outside(p, f),
        "age": p.decision.individualised_over_age,
    }
    return Finding(
        result=f"profile {p.id}: {p.name}",
        used=["profile", "sex"],
        recommendations=[
            Recommendation(
                id="profile-basis",
                section=Section.BOTTOM_LINE,
                statement="profile-basis",
                params=params,
                citations=banner_cites(p),
            )
        ],
    )


@rule("profile-left-out", topic="profiles")
def profile_left_out(f: Facts, a: Assessment) -> Finding | None:
    """Say which of the guideline's rules the profile leaves out, and why (unverified in the sources)."""
    p = profile_of(a)
    if p.is_default or not a.in_scope or not p.left_out:
        return None
    cites = p.passages()
    return Finding(
        result=f"profile {p.id}: {len(p.left_out)} rule(s) left out",
        used=["profile"],
        recommendations=[
            Recommendation(
                id="profile-left-out",
                section=Section.SCOPE,
                statement="profile-left-out",
                params={"name": p.name, "items": [x.model_dump() for x in p.left_out]},
                citations=cites,
            )
        ],
    )
