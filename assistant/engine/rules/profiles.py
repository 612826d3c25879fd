"""Guideline profiles: which guideline's rules the engine follows (corpus/profiles.yaml), and the rules that
say, in an answer given under a profile other than the US default, what that profile encodes and leaves out.

Rules elsewhere consult the profile through `profile_of(assessment)` (thresholds, very-high-risk scheme,
which fracture-based criteria apply) instead of testing profile names. The US default profile adds no
statement of its own, so US answers are unchanged.
"""

from __future__ import annotations

from typing import Any

from assistant.engine.knowledge.frax import GC_ADJUST_CITES, SPINE_CITES
from assistant.engine.knowledge.profiles import Profile, profile_of, women_only_outside
from assistant.engine.knowledge.very_high_risk import VERY_HIGH_FRAX_HIP_ABOVE, VERY_HIGH_FRAX_MAJOR_ABOVE
from assistant.engine.model import Assessment, Finding, Recommendation, Section, rule
from assistant.facts import Facts


# -- statements an answer under a non-default profile carries -------------------------------------------
def _banner_cites(p: Profile) -> list[str]:
    return [*p.decision.passages, *(c for c in p.very_high_risk.passages if c not in p.decision.passages)]


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
                citations=_banner_cites(p),
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


@rule("risk-frax-raw-and-adjusted", topic="profiles")
def frax_raw_and_adjusted(f: Facts, a: Assessment) -> Finding | None:
    """FRAX adjusted for glucocorticoid dose or spine-hip offset: which of the profile's thresholds the value as
    given and the adjusted value each reach (every profile; ACP has no FRAX threshold)."""
    view = a.derived.frax
    if view is None or not view.adjusted or not a.in_scope:
        return None
    p = profile_of(a)
    t = p.decision.frax

    def over(major: float | None, hip: float | None) -> bool:
        return t is not None and ((major is not None and major >= t.major) or (hip is not None and hip >= t.hip))

    aace_vhr = p.very_high_risk.scheme == "aace"
    params = {
        "name": p.name,
        "major_raw": view.major_raw,
        "hip_raw": view.hip_raw,
        "major": view.major,
        "hip": view.hip,
        "threshold_major": t.major if t else None,
        "threshold_hip": t.hip if t else None,
        "raw_over": over(view.major_raw, view.hip_raw),
        "adjusted_over": over(view.major, view.hip),
        "vhr": aace_vhr,
        "vhr_major": VERY_HIGH_FRAX_MAJOR_ABOVE.value,
        "vhr_hip": VERY_HIGH_FRAX_HIP_ABOVE.value,
    }
    cites = _banner_cites(p)  # the profile's own passages (its name and thresholds), with its very-high-risk list
    cites += GC_ADJUST_CITES if view.gc_band else []
    cites += SPINE_CITES if view.spine_units else []
    return Finding(
        result=f"FRAX as given vs adjusted against the {p.id} thresholds",
        used=["frax", "glucocorticoid_dose_mg", "t_scores"],
        recommendations=[
            Recommendation(
                id="risk-frax-raw-and-adjusted",
                section=Section.RISK,
                statement="risk-frax-raw-and-adjusted",
                params=params,
                citations=cites,
            )
        ],
    )
