"""Guideline profiles: which guideline's rules the engine follows (corpus/profiles.yaml), and the rules that
say, in an answer given under a profile other than the US default, what that profile encodes and leaves out.

Rules elsewhere consult the profile through `profile_of(assessment)` (thresholds, very-high-risk scheme,
which fracture-based criteria apply) instead of testing profile names. The US default profile adds no
statement of its own, so US answers are unchanged.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.datafiles import parse_yaml_file
from assistant.engine.model import Assessment, Finding, Section, finding, recommendation, rule
from assistant.facts import Facts, Sex

PROFILES_FILE = Path(__file__).resolve().parents[2] / "corpus" / "profiles.yaml"
DEFAULT_PROFILE = "us"
PROFILE_ORDER: tuple[str, ...] = ("us", "aace", "acp", "endocrine")


class Cell(BaseModel):
    """One comparable piece of advice: a key to compare, the words (statement + params), the passages."""

    key: str
    statement: str
    params: dict[str, Any] = Field(default_factory=dict)
    passages: list[str]


class FraxThresholds(BaseModel):
    major: float
    hip: float


class DecisionRules(BaseModel):
    low_mass_fracture: bool
    any_fracture: bool
    osteopenia: Literal["frax", "individualised"]
    frax: FraxThresholds | None
    individualised_over_age: int | None = None
    passages: list[str]
    # Glucocorticoid users: "acr-2022" (the ACR 2022 risk strata decide) or "frax" (the profile's FRAX thresholds
    # on glucocorticoid-adjusted FRAX). Issue 16: where ACR and the general guideline differ, the profile decides.
    glucocorticoids: Literal["acr-2022", "frax"] = "frax"


class VeryHighRisk(BaseModel):
    scheme: Literal["aace", "endocrine-2020", "none"]
    passages: list[str]


class Drugs(BaseModel):
    standard: Cell
    very_high: Cell


class LeftOut(BaseModel):
    what: str
    why: str


class Profile(BaseModel):
    id: str
    name: str
    short: str
    references: list[str]
    women_only: bool
    decision: DecisionRules
    very_high_risk: VeryHighRisk
    drugs: Drugs
    vitamin_d: Cell
    monitoring: Cell
    holiday: Cell
    left_out: list[LeftOut] = Field(default_factory=list)

    @property
    def is_default(self) -> bool:
        return self.id == DEFAULT_PROFILE

    def passages(self) -> list[str]:
        """Every passage the profile's definition names (checked against the corpus by the tests)."""
        out: list[str] = []
        for group in (
            self.decision.passages,
            self.very_high_risk.passages,
            self.drugs.standard.passages,
            self.drugs.very_high.passages,
            self.vitamin_d.passages,
            self.monitoring.passages,
            self.holiday.passages,
        ):
            out.extend(p for p in group if p not in out)
        return out


class ProfileError(Exception):
    pass


@lru_cache(maxsize=1)
def profiles() -> dict[str, Profile]:
    """All profiles from corpus/profiles.yaml, in the order of PROFILE_ORDER (read once)."""
    raw = parse_yaml_file(PROFILES_FILE)  # a fresh copy: the defaults below are filled in place
    if not isinstance(raw, dict):
        raise ProfileError(f"{PROFILES_FILE}: must map profile ids to definitions")
    for pid, data in raw.items():
        if not isinstance(data, dict):
            raise ProfileError(f"{PROFILES_FILE}: profile {pid!r} must be a mapping")
        dec = data.get("decision", {})
        if dec.get("frax") == "none":
            dec["frax"] = None
    out = {pid: Profile(id=pid, **raw[pid]) for pid in PROFILE_ORDER if pid in raw}
    missing = [p for p in PROFILE_ORDER if p not in out]
    if missing:
        raise ProfileError(f"{PROFILES_FILE}: missing profile(s) {', '.join(missing)}")
    return out


@cache
def get_profile(name: str | None) -> Profile:
    """The named profile; an unknown or empty name gives the US default."""
    table = profiles()
    return table.get(name or DEFAULT_PROFILE, table[DEFAULT_PROFILE])


def profile_of(a: Assessment) -> Profile:
    return get_profile(a.profile)


def women_only_outside(p: Profile, f: Facts) -> bool:
    """The profile's guideline is for postmenopausal women and this patient is a man."""
    return p.women_only and f.sex == Sex.MALE


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
    return finding(
        result=f"profile {p.id}: {p.name}",
        used=["profile", "sex"],
        recommendations=[
            recommendation(
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
    return finding(
        result=f"profile {p.id}: {len(p.left_out)} rule(s) left out",
        used=["profile"],
        recommendations=[
            recommendation(
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
    # Imported here (after the cheap test: most assessments have no adjusted FRAX): these modules import this one.
    from assistant.engine.decision import VERY_HIGH_FRAX_HIP_ABOVE, VERY_HIGH_FRAX_MAJOR_ABOVE
    from assistant.engine.risk import GC_ADJUST_CITES, SPINE_CITES

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
        "vhr_major": VERY_HIGH_FRAX_MAJOR_ABOVE,
        "vhr_hip": VERY_HIGH_FRAX_HIP_ABOVE,
    }
    cites = _banner_cites(p)  # the profile's own passages (its name and thresholds), with its very-high-risk list
    cites += GC_ADJUST_CITES if view.gc_band else []
    cites += SPINE_CITES if view.spine_units else []
    return finding(
        result=f"FRAX as given vs adjusted against the {p.id} thresholds",
        used=["frax", "glucocorticoid_dose_mg", "t_scores"],
        recommendations=[
            recommendation(
                id="risk-frax-raw-and-adjusted",
                section=Section.RISK,
                statement="risk-frax-raw-and-adjusted",
                params=params,
                citations=cites,
            )
        ],
    )


__all__ = [
    "Cell",
    "DEFAULT_PROFILE",
    "PROFILE_ORDER",
    "Profile",
    "ProfileError",
    "get_profile",
    "profile_of",
    "profiles",
    "women_only_outside",
]
