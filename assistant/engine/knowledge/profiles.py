"""Guideline profiles: which guideline's rules the engine follows (corpus/profiles.yaml).

Rules consult the profile through `profile_of(assessment)` (thresholds, very-high-risk scheme, which
fracture-based criteria apply) instead of testing profile names.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.datafiles import corpus_file, parse_yaml_file
from assistant.engine.knowledge.thresholds import threshold
from assistant.engine.model import Assessment
from assistant.facts import Facts, Sex

PROFILES_FILE = corpus_file("profiles.yaml")
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
    # Aromatase inhibitors / androgen deprivation: "cancer-guidance" (ASCO 2019 and the AI position statement
    # decide) or "general" (the profile's own thresholds; the situation is still named).
    cancer_treatment: Literal["cancer-guidance", "general"] = "general"


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


def _with_thresholds(data: Any, pid: str) -> Any:
    """The profile's data with each `{threshold: ID}` replaced by that threshold's value (corpus/thresholds.yaml)."""
    if isinstance(data, dict):
        if set(data) == {"threshold"}:
            return threshold(data["threshold"], profile=pid).value
        return {k: _with_thresholds(v, pid) for k, v in data.items()}
    if isinstance(data, list):
        return [_with_thresholds(v, pid) for v in data]
    return data


def threshold_ids(data: Any) -> set[str]:
    """Every threshold id a profiles file refers to (for `assistant corpus check`)."""
    if isinstance(data, dict):
        if set(data) == {"threshold"}:
            return {str(data["threshold"])}
        return set().union(*(threshold_ids(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(threshold_ids(v) for v in data))
    return set()


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
    out = {pid: Profile(id=pid, **_with_thresholds(raw[pid], pid)) for pid in PROFILE_ORDER if pid in raw}
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


def banner_cites(p: Profile) -> list[str]:
    """The profile's own passages (its name and thresholds), then those of its very-high-risk list."""
    return [*p.decision.passages, *(c for c in p.very_high_risk.passages if c not in p.decision.passages)]
