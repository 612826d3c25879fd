"""The short answer: which recommendations it shows and in which words (rules in prompts/brief.yaml).

The full plan shows every recommendation the engine made, in its full wording; the short answer
(the default) leaves detail to it, says each point once, keeps evidence about women out of answers
about men and the denosumab-stop advice out of answers that do not involve denosumab.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from jinja2 import Template

from assistant.datafiles import read_yaml
from assistant.engine.model import Recommendation
from assistant.facts import Facts, Sex, Status
from assistant.statements import PROMPTS_DIR, compile_template, render_kept, render_statement

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class BriefRules:
    omit: frozenset[str]
    always_omit: frozenset[str]
    needs_drug: frozenset[str]
    covered_by: dict[str, tuple[str, ...]]
    women_only: frozenset[str]
    only_with: dict[str, tuple[str, ...]]
    compact: dict[str, str]
    wording: dict[str, dict[str, Any]]


@lru_cache(maxsize=1)
def rules() -> BriefRules:
    raw = read_yaml(PROMPTS_DIR / "brief.yaml")
    return BriefRules(
        omit=frozenset(raw.get("omit") or ()),
        always_omit=frozenset(raw.get("always_omit") or ()),
        needs_drug=frozenset(raw.get("needs_drug") or ()),
        covered_by={k: tuple(v) for k, v in (raw.get("covered_by") or {}).items()},
        women_only=frozenset(raw.get("women_only") or ()),
        only_with={k: tuple(str(n).lower() for n in v) for k, v in (raw.get("only_with") or {}).items()},
        compact={str(k): str(v) for k, v in (raw.get("compact") or {}).items()},
        wording={str(k): dict(v) for k, v in (raw.get("wording") or {}).items()},
    )


def _named(names: tuple[str, ...], facts: Facts, question: str) -> bool:
    taken = {m.name for m in facts.medications if m.status in (Status.AFFIRMED, Status.HISTORICAL)}
    return any(n in taken or n in question for n in names)


def select(
    recs: list[Recommendation], facts: Facts, question: str, *, whole: bool, bottom_line: str | None = None
) -> list[Recommendation]:
    """The recommendations the short answer shows, in their order. `whole`: the question asks for the
    whole plan (then detail listed under `omit` is left to the full plan). `bottom_line`: the statement
    key of the bottom line shown above them (a `covered_by` entry may name it)."""
    r = rules()
    q = question.lower()
    male = facts.sex == Sex.MALE
    on_drug = any(m.status in (Status.AFFIRMED, Status.HISTORICAL) for m in facts.medications)
    kept: list[Recommendation] = []
    for rec in recs:
        if rec.id in r.always_omit or (whole and rec.id in r.omit):
            continue
        if whole and rec.id in r.needs_drug and not on_drug:
            continue
        if male and rec.id in r.women_only:
            continue
        names = r.only_with.get(rec.id)
        if names is not None and not _named(names, facts, q):
            continue
        kept.append(rec)
    shown = {rec.id for rec in kept}
    if bottom_line is not None:
        shown.add(bottom_line)
    covered_by = r.covered_by
    return [rec for rec in kept if rec.id not in covered_by or not any(c in shown for c in covered_by[rec.id])]


def words(rec: Recommendation, full_text: str) -> str:
    """The short wording of one recommendation (its full wording when it has none)."""
    spec = rules().wording.get(rec.id)
    if spec is None or spec.get("statement", rec.statement) != rec.statement:
        return full_text
    if "sentences" in spec:
        parts = _SENTENCE_END.split(full_text)
        return " ".join(parts[: int(spec["sentences"])])
    if "values" in spec:
        return render_statement(rec.statement, {**rec.params, **spec["values"]})
    if "template" in spec:
        return render_kept("brief:" + rec.id, _template(rec.id), rec.params)
    return full_text


@cache
def _template(rec_id: str) -> Template:
    return compile_template("brief:" + rec_id, " ".join(str(rules().wording[rec_id]["template"]).split()))


def compact_lead(section_title: str) -> str | None:
    """The lead of a section listed by its items' heads ("Basic tests"), or None."""
    return rules().compact.get(section_title)


def head(text: str) -> str | None:
    """The words before the first colon ("Complete blood count"), when the item starts with one."""
    before, sep, _ = text.partition(":")
    if not sep or len(before.split()) > 8:
        return None
    return before.strip()
