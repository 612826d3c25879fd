"""The patient's facts by group, and in words.

A "group" is one user-level fact: "age", "frax", "t_scores.femoral_neck", "conditions.smoking",
"prior_fragility_fracture" (with its sites), "medications.alendronate". Groups are what changes
are reported on and what a decision change is explained by.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assistant.datafiles import read_yaml
from assistant.facts import Facts, Site
from assistant.render import label
from assistant.statements import PROMPTS_DIR, num

SCALARS: tuple[str, ...] = (
    "age",
    "sex",
    "menopause",
    "t_score_unsited",
    "z_score_unsited",
    "prior_fragility_fracture",
    "glucocorticoids",
    "glucocorticoid_dose_mg",
    "glucocorticoid_months",
    "egfr",
    "vitamin_d",
    "calcium",
    "pth",
    "tsh",
    "weight_kg",
    "height_cm",
    "bmi",
    "ckd_stage",
    "alkaline_phosphatase",
)
SCORE_KINDS = ("t_scores", "z_scores")


# -- wording -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _raw_wording() -> dict[str, Any]:
    return dict(read_yaml(PROMPTS_DIR / "conversation.yaml"))


@lru_cache(maxsize=1)
def wording() -> dict[str, dict[str, str]]:
    raw = _raw_wording()
    return {k: {str(kk): str(vv) for kk, vv in v.items()} for k, v in raw.items() if isinstance(v, dict)}


def wording_list(key: str) -> list[str]:
    """A list of prompts/conversation.yaml ("acknowledgements")."""
    return [str(x) for x in _raw_wording().get(key) or ()]


def fact_name(path: str) -> str:
    head, _, tail = path.partition(".")
    if head in SCORE_KINDS and tail:
        return f"{label('sites', tail)} {'T' if head == 't_scores' else 'Z'}-score"
    if head == "conditions" and tail:
        return label("fields", tail)
    if head == "medications" and tail:
        return tail
    return wording()["names"].get(path, label("fields", path))


def fmt(value: Any) -> str:
    if isinstance(value, bool):
        return wording()["values"][str(value).lower()]
    if hasattr(value, "value"):
        return str(value.value)
    return num(value)


def value_words(field: str, value: Any) -> str | None:
    """A value that is said as a word of its own ("woman", "postmenopausal"), or None."""
    return wording().get("words", {}).get(f"{field}.{fmt(value)}")


def get_group(f: Facts, group: str) -> Any:
    head, _, tail = group.partition(".")
    if head in SCORE_KINDS:
        return getattr(f, head).get(Site(tail))
    if head == "conditions":
        return f.conditions.get(tail)
    if head == "medications":
        return next((m for m in f.medications if m.name == tail), None)
    if head == "prior_fragility_fracture":
        return (
            (f.prior_fragility_fracture, tuple(f.fracture_sites))
            if (f.prior_fragility_fracture is not None or f.fracture_sites)
            else None
        )
    if head == "frax":
        return (f.frax.major, f.frax.hip) if f.frax is not None else None
    return getattr(f, head)


def groups(f: Facts) -> list[str]:
    out = [n for n in SCALARS if n != "prior_fragility_fracture" and getattr(f, n) is not None]
    if f.prior_fragility_fracture is not None or f.fracture_sites:
        out.append("prior_fragility_fracture")
    if f.frax is not None:
        out.append("frax")
    for kind in SCORE_KINDS:
        out.extend(f"{kind}.{s.value}" for s in getattr(f, kind))
    out.extend(f"conditions.{k}" for k in f.conditions)
    out.extend(f"medications.{m.name}" for m in f.medications)
    return out


def diff(before: Facts, after: Facts) -> list[str]:
    """Groups whose value differs between two states, in a stable order (after's order first)."""
    seen: dict[str, None] = {}
    for g in groups(after) + groups(before):
        if g not in seen and get_group(before, g) != get_group(after, g):
            seen[g] = None
    return list(seen)


def revert(after: Facts, before: Facts, group: str) -> Facts:
    """`after` with one group put back as it was in `before`."""
    new = copy_facts(after)
    head, _, tail = group.partition(".")
    if head in SCORE_KINDS:
        target = getattr(new, head)
        old = getattr(before, head).get(Site(tail))
        if old is None:
            target.pop(Site(tail), None)
        else:
            target[Site(tail)] = old
    elif head == "conditions":
        if tail in before.conditions:
            new.conditions[tail] = before.conditions[tail]
        else:
            new.conditions.pop(tail, None)
    elif head == "medications":
        new.medications = [m for m in new.medications if m.name != tail] + [
            m for m in before.medications if m.name == tail
        ]
    elif head == "prior_fragility_fracture":
        new.prior_fragility_fracture = before.prior_fragility_fracture
        new.fracture_sites = list(before.fracture_sites)
    else:
        setattr(new, head, getattr(before, head))
    return new


def describe_group(f: Facts, group: str) -> str:
    head, _, tail = group.partition(".")
    value = get_group(f, group)
    if value is None:
        return f"no {fact_name(group)}" if head != "conditions" else f"{fact_name(group)} not stated"
    if head == "frax":
        parts = []
        if f.frax is not None and f.frax.major is not None:
            parts.append(f"major {fmt(f.frax.major)}%")
        if f.frax is not None and f.frax.hip is not None:
            parts.append(f"hip {fmt(f.frax.hip)}%")
        return "FRAX " + " and ".join(parts)
    if head == "prior_fragility_fracture":
        sites = ", ".join(s.value for s in f.fracture_sites)
        if f.prior_fragility_fracture is False:
            return "no prior fragility fracture"
        return "a prior fragility fracture" + (f" ({sites})" if sites else "")
    if head == "conditions":
        return f"{fact_name(group)}: {fmt(value)}"
    if head == "medications":
        return tail
    if isinstance(value, bool):
        return f"{fact_name(group)}: {fmt(value)}"
    said = value_words(head, value)
    if said is not None:
        return said
    return f"{fact_name(group)} {fmt(value)}{unit(f, head)}"


def unit(f: Facts, field: str) -> str:
    """The unit shown after a value (" mL/min/1.73 m2"), from prompts/conversation.yaml."""
    if field == "egfr" and f.egfr_is_crcl:
        return " " + wording()["units"]["crcl"]
    shown = wording().get("units", {}).get(field)
    return f" {shown}" if shown else ""


def describe_change(before: Facts, after: Facts, group: str) -> str:
    """A changed group in words, naming only the parts that changed ("FRAX major 25%")."""
    if group == "frax" and before.frax is not None and after.frax is not None:
        parts = [
            f"{part} {fmt(getattr(after.frax, part))}%"
            for part in ("major", "hip")
            if getattr(after.frax, part) is not None and getattr(after.frax, part) != getattr(before.frax, part)
        ]
        if parts:
            return "FRAX " + " and ".join(parts)
    return describe_group(after, group)


def describe(f: Facts) -> list[str]:
    """Every fact of `f` in words: ['eGFR 30', 'sex male']."""
    return [describe_group(f, g) for g in groups(f)]


def copy_facts(f: Facts) -> Facts:
    """A copy whose containers can be changed without touching `f` (their items are never mutated)."""
    return f.model_copy(
        update={
            "t_scores": dict(f.t_scores),
            "z_scores": dict(f.z_scores),
            "fracture_sites": list(f.fracture_sites),
            "medications": list(f.medications),
            "conditions": dict(f.conditions),
            "sources": dict(f.sources),
            "mentions": list(f.mentions),
        }
    )


def has_content(f: Facts | None) -> bool:
    """Whether `f` holds any group of facts (the same test as `bool(groups(f))`, without building them)."""
    if f is None:
        return False
    if f.frax is not None or f.fracture_sites or f.t_scores or f.z_scores or f.conditions or f.medications:
        return True
    said = vars(f)
    return any(said[n] is not None for n in SCALARS)
