"""Helpers for the parser's table-driven tests: compare the parts of a Parsed a case names."""

from __future__ import annotations

from typing import Any

from assistant.facts import Facts, Parsed
from assistant.parse import parse


def view(f: Facts) -> dict[str, Any]:
    d = f.contract_dict()
    return {
        "age": f.age,
        "sex": d["sex"],
        "menopause": d["menopause"],
        "t": d["t_scores"],
        "z": d["z_scores"],
        "t_unsited": f.t_score_unsited,
        "z_unsited": f.z_score_unsited,
        "frax": d["frax"],
        "fracture": f.prior_fragility_fracture,
        "sites": d["fracture_sites"],
        "gc": f.glucocorticoids,
        "gc_dose": f.glucocorticoid_dose_mg,
        "gc_months": f.glucocorticoid_months,
        "egfr": f.egfr,
        "crcl": f.egfr_is_crcl,
        "vitd": f.vitamin_d,
        "calcium": f.calcium,
        "pth": f.pth,
        "tsh": f.tsh,
        "bmi": f.bmi,
        "weight": f.weight_kg,
        "height": f.height_cm,
        "meds": d["medications"],
        "conditions": d["conditions"],
        "questions": sorted(q.field for q in f.questions),
        "contradictions": sorted(c.field for c in f.contradictions),
        "notes": sorted(n.kind for n in f.notes),
    }


def _match(got: Any, want: Any) -> bool:
    if isinstance(want, float) and isinstance(got, int | float) and not isinstance(got, bool):
        return abs(got - want) < 0.051
    if isinstance(want, dict) and isinstance(got, dict) and want.pop("__subset__", False):
        return all(k in got and _match(got[k], v) for k, v in want.items())
    if isinstance(want, dict) and isinstance(got, dict):
        return set(got) == set(want) and all(_match(got[k], v) for k, v in want.items())
    if isinstance(want, list) and isinstance(got, list):
        return len(got) == len(want) and all(_match(g, w) for g, w in zip(got, want, strict=True))
    return got == want


def check(text: str, expect: dict[str, Any]) -> Parsed:
    p = parse(text)
    facts_view = view(p.facts)
    problems = []
    for key, want in expect.items():
        want = dict(want) if isinstance(want, dict) else want
        if key == "intent":
            got: Any = p.intent.value if p.intents else None
        elif key == "intents":
            got = [i.value for i in p.intents]
        elif key == "hypo":
            if p.hypothetical is None:
                problems.append("hypothetical: want facts, got None")
                continue
            hv = view(p.hypothetical)
            for hk, hw in want.items():
                hw = dict(hw) if isinstance(hw, dict) else hw
                if not _match(hv[hk], hw):
                    problems.append(f"hypothetical.{hk}: want {hw!r} got {hv[hk]!r}")
            continue
        elif key == "no_hypo":
            got = p.hypothetical is None or not any(
                v not in (None, {}, [], False) for k, v in view(p.hypothetical).items()
            )
            want = True
        elif key in ("correction", "retract", "relabel", "profile", "show"):
            got = {
                "correction": p.is_correction,
                "retract": p.retract,
                "relabel": p.relabel_site.value if p.relabel_site else None,
                "profile": p.profile,
                "show": p.show_citation,
            }[key]
        elif key.startswith("cond."):
            got = p.facts.conditions.get(key[5:])
        else:
            got = facts_view[key]
        if not _match(got, want):
            problems.append(f"{key}: want {want!r} got {got!r}")
    assert not problems, f"{text!r}: " + "; ".join(problems)
    return p
