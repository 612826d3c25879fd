"""Side by side: the same facts assessed under every guideline profile, in rows a clinician can scan.

`compare(facts, intent)` runs the engine once per profile and collects, per profile, the decision, the
very-high-risk status, the drug advice, FRAX against the profile's thresholds (raw and adjusted), the
vitamin D target, the DXA interval on treatment and the drug-holiday rule. Each cell names a statement
(prompts/statements/profiles.yaml) and cites passages; a row is marked when the profiles differ on it.
Nothing here renders text: render_compare.py does.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from assistant.engine import assess
from assistant.engine.knowledge.frax import GC_ADJUST_CITES, SPINE_CITES, T2D_CITES, FraxView, adjusted_frax
from assistant.engine.knowledge.profiles import PROFILE_ORDER, Cell, Profile, get_profile
from assistant.engine.knowledge.very_high_risk import (
    VERY_HIGH_FRAX_HIP_ABOVE,
    VERY_HIGH_FRAX_MAJOR_ABOVE,
    endocrine_very_high_reasons,
    very_high_risk_reasons,
)
from assistant.engine.model import Assessment, Decision
from assistant.facts import Facts, Intent

NOGG_CITES = ["nogg-2022#intervention-threshold", "kanis-2021-nogg#very-high-risk"]

# Rows in the order shown (their labels are in prompts/compare.yaml).
ROWS: tuple[str, ...] = ("decision", "very_high_risk", "drugs", "frax", "vitamin_d", "monitoring", "holiday")


class CompareCell(BaseModel):
    key: str  # what is compared across profiles to mark a row as differing
    statement: str
    params: dict[str, Any] = Field(default_factory=dict)
    citations: list[str]


class CompareRow(BaseModel):
    id: str
    cells: dict[str, CompareCell]  # profile id -> cell
    differ: bool


class Note(BaseModel):
    statement: str
    params: dict[str, Any] = Field(default_factory=dict)
    citations: list[str]


class Comparison(BaseModel):
    profiles: list[str]
    names: dict[str, str]
    decisions: dict[str, str]  # profile id -> decision value (yes / no / conditional / n/a)
    rows: list[CompareRow]
    notes: list[Note] = Field(default_factory=list)

    def row(self, row_id: str) -> CompareRow | None:
        return next((r for r in self.rows if r.id == row_id), None)

    @property
    def differing(self) -> list[str]:
        return [r.id for r in self.rows if r.differ]

    def cited_passages(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.rows:
            for pid in self.profiles:
                for c in r.cells[pid].citations:
                    seen.setdefault(c, None)
        for n in self.notes:
            for c in n.citations:
                seen.setdefault(c, None)
        return list(seen)


def _dedupe(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _cell(c: Cell) -> CompareCell:
    return CompareCell(key=c.key, statement=c.statement, params=dict(c.params), citations=list(c.passages))


def _decision_cell(p: Profile, a: Assessment) -> CompareCell:
    because = a.because.statement if a.because else None
    cites = list(a.because.citations) if a.because else []
    cites = _dedupe([*cites, *p.decision.passages])
    low = a.facts.lowest_t()
    return CompareCell(
        key=a.decision.value,
        statement="compare-decision",
        params={"decision": a.decision.value, "because": because, "t": low[0] if low else None},
        citations=cites,
    )


def _vhr_reasons(p: Profile, f: Facts, view: FraxView | None) -> dict[str, object]:
    if p.very_high_risk.scheme == "aace":
        return very_high_risk_reasons(f, view)
    if p.very_high_risk.scheme == "endocrine-2020":
        return endocrine_very_high_reasons(f)
    return {}


def _vhr_cell(p: Profile, a: Assessment, view: FraxView | None) -> CompareCell:
    scheme = p.very_high_risk.scheme
    reasons = _vhr_reasons(p, a.facts, view)
    key = "undefined" if scheme == "none" else ("yes" if reasons else "no")
    return CompareCell(
        key=key,
        statement="compare-vhr",
        params={"scheme": scheme, "status": bool(reasons), "r": reasons, "checked": True},
        citations=list(p.very_high_risk.passages),
    )


def _drugs_cell(p: Profile, a: Assessment) -> CompareCell:
    return _cell(p.drugs.very_high if a.very_high_risk else p.drugs.standard)


def _over(view: FraxView, major: float | None, hip: float | None, raw: bool) -> bool:
    m, h = (view.major_raw, view.hip_raw) if raw else (view.major, view.hip)
    return (m is not None and major is not None and m >= major) or (h is not None and hip is not None and h >= hip)


def _frax_cell(p: Profile, view: FraxView) -> CompareCell:
    t = p.decision.frax
    thresholds = f"{t.major:g}% major or {t.hip:g}% hip" if t is not None else ""
    crossed_raw = _over(view, t.major, t.hip, raw=True) if t is not None else False
    crossed_adj = _over(view, t.major, t.hip, raw=False) if t is not None else False
    vhr_frax = ""
    vhr_crossed = False
    cites = list(p.decision.passages)
    if p.very_high_risk.scheme == "aace":
        vhr_frax = f"major above {VERY_HIGH_FRAX_MAJOR_ABOVE.value:g}% or hip above {VERY_HIGH_FRAX_HIP_ABOVE.value:g}%"
        vhr_crossed = (view.major is not None and view.major > VERY_HIGH_FRAX_MAJOR_ABOVE.value) or (
            view.hip is not None and view.hip > VERY_HIGH_FRAX_HIP_ABOVE.value
        )
        cites += [c for c in p.very_high_risk.passages if c not in cites]
    if view.gc_band is not None:
        cites += GC_ADJUST_CITES
    if view.spine_units:
        cites += SPINE_CITES
    key = "none" if t is None else f"{crossed_raw}/{crossed_adj}/{vhr_crossed}"
    return CompareCell(
        key=key,
        statement="compare-frax",
        params={
            "major_raw": view.major_raw,
            "hip_raw": view.hip_raw,
            "major": view.major,
            "hip": view.hip,
            "adjusted": view.adjusted,
            "thresholds": thresholds,
            "crossed_raw": crossed_raw,
            "crossed_adjusted": crossed_adj,
            "vhr_frax": vhr_frax,
            "vhr_crossed": vhr_crossed,
        },
        citations=_dedupe(cites),
    )


def compare(
    facts: Facts, intent: Intent = Intent.COMPARE, assessments: dict[str, Assessment] | None = None
) -> Comparison:
    """Assess the facts under every profile and lay the results side by side. Pure and deterministic."""
    done = dict(assessments or {})
    view = adjusted_frax(facts)
    cells: dict[str, dict[str, CompareCell]] = {r: {} for r in ROWS}
    names: dict[str, str] = {}
    decisions: dict[str, str] = {}
    for pid in PROFILE_ORDER:
        p = get_profile(pid)
        a = done.get(pid) or assess(facts, intent, pid, decision_only=True)  # the cells read only the decision
        names[pid] = p.short
        decisions[pid] = a.decision.value
        cells["decision"][pid] = _decision_cell(p, a)
        cells["very_high_risk"][pid] = _vhr_cell(p, a, view)
        cells["drugs"][pid] = _drugs_cell(p, a)
        if view is not None:
            cells["frax"][pid] = _frax_cell(p, view)
        cells["vitamin_d"][pid] = _cell(p.vitamin_d)
        cells["monitoring"][pid] = _cell(p.monitoring)
        cells["holiday"][pid] = _cell(p.holiday)
    rows = [
        CompareRow(id=r, cells=cells[r], differ=len({c.key for c in cells[r].values()}) > 1) for r in ROWS if cells[r]
    ]
    notes = [Note(statement="compare-nogg", citations=list(NOGG_CITES))]
    if facts.has("type2_diabetes"):
        notes.append(Note(statement="compare-t2d", citations=list(T2D_CITES)))
    return Comparison(profiles=list(PROFILE_ORDER), names=names, decisions=decisions, rows=rows, notes=notes)


def decision_of(comparison: Comparison, profile: str) -> Decision:
    return Decision(comparison.decisions[profile])


__all__ = ["Comparison", "CompareCell", "CompareRow", "Note", "ROWS", "compare", "decision_of"]
