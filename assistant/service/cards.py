"""An Answer (the engine's, rendered) -> CDS Hooks cards.

The first card carries the bottom line as its summary (at most 140 characters), the most urgent
indicator of the answer, and a Markdown detail: the short answer, what the record gave, what was set
aside or not used, what is missing, and the numbered sources. Each critical safety finding (a
denosumab stop without a follow-on, a drug below its kidney cut-off, ...) gets a card of its own.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from assistant.corpus import default_corpus
from assistant.engine.knowledge.profiles import get_profile
from assistant.engine.model import Urgency
from assistant.facts import SITE_LABELS, Site
from assistant.render import Answer, label, with_marks
from assistant.service.reading import Reading

SUMMARY_MAX = 139  # CDS Hooks: the summary "SHALL be less than 140 characters" (the issue: at most 140)
_ORDER = {Urgency.INFO: 0, Urgency.WARNING: 1, Urgency.CRITICAL: 2}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<!|])")
_NAMESPACE = uuid.UUID("6f1d3c2e-8a4b-4f0e-9a53-0b8d2a6c9e11")  # card ids: uuid5 of the hook instance and card


def bottom_line(answer: Answer) -> str:
    """The answer's bottom line in one sentence: the one place to switch to i19's direct answer."""
    direct = answer.direct  # i19's direct answer (an Item), when the answer has one
    if direct is not None and direct.text.strip():
        return direct.text.strip()
    if answer.because:
        return answer.because.strip()
    if answer.headline is not None:
        return answer.headline.text.strip()
    return "No bone-health decision could be made from the record: see what is missing."


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
_CLAUSE_END = re.compile(r"[;:](?=\s)")
WHOLE_ENOUGH = 50  # whole sentences (or clauses) this long make a summary; shorter, the text is cut at a word


def shorten(text: str, limit: int = SUMMARY_MAX) -> str:
    """At most `limit` characters, read as a clinician would want it: whole sentences when they say enough, else
    the text up to a clause boundary, else cut at a word (never inside an unclosed parenthesis) with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentences = _SENTENCE_END.split(text)
    kept = ""
    for sentence in sentences:
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    if len(kept) >= WHOLE_ENOUGH:
        return kept
    head = text[: limit - 1]
    clauses = [m.start() for m in _CLAUSE_END.finditer(head) if m.start() >= WHOLE_ENOUGH]
    if clauses:
        return head[: clauses[-1]].rstrip(" ,") + "…"
    cut = head
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    opened = cut.rfind("(")
    if opened > cut.rfind(")") and opened >= WHOLE_ENOUGH // 2:
        cut = cut[:opened]  # never end inside a parenthesis the reader cannot see closed
    return cut.rstrip(" ,;:.") + "…"


def md(text: str) -> str:
    """Text from the record, made inert for Markdown (no links, images or emphasis from client data)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def indicator(answer: Answer) -> str:
    worst = Urgency.INFO
    for r in answer.assessment.recommendations:
        if _ORDER[r.urgency] > _ORDER[worst]:
            worst = r.urgency
    return worst.value


_DXA_SITES = (Site.FEMORAL_NECK, Site.TOTAL_HIP, Site.LUMBAR_SPINE)


# The clinical risk factors FRAX asks for (../shared/clinical/sources.md, FRAX inputs): when several are missing they
# make one line, so the list reads as "what to gather to compute FRAX" rather than a dozen separate gaps.
_FRAX_INPUTS = ("glucocorticoids", "parental_hip_fracture", "smoking", "rheumatoid_arthritis", "alcohol_excess",
                "weight_kg", "height_cm", "secondary_osteoporosis")


def _missing_words(answer: Answer, reading: Reading) -> list[str]:
    out = []
    missing = list(answer.assessment.missing_facts)
    frax_inputs = [m for m in missing if m in _FRAX_INPUTS and m not in reading.missing_why]
    grouped = len(frax_inputs) >= 3
    for m in missing:
        if grouped and m in frax_inputs:
            if m == frax_inputs[0]:
                names = ", ".join(label("fields", x) for x in frax_inputs)
                out.append(f"FRAX inputs: {names} (none in the record)")
            continue
        if m in reading.missing_why:
            out.append(f"{label('fields', m)}: {reading.missing_why[m]}")
            continue
        given = [s for s in _DXA_SITES if s in reading.facts.t_scores]
        if m == "t_scores" and given:
            absent = " and ".join(SITE_LABELS[s] for s in _DXA_SITES if s not in given)
            shown = ", ".join(SITE_LABELS[s] for s in given)
            out.append(f"DXA T-score at the {absent}: not found in the record ({shown} given)")
            continue
        out.append(f"{label('fields', m)}: not found in the record")
    return out


def _source(answer: Answer, cited: list[int]) -> dict[str, str]:
    """The card's source: the profile, and the link of the first reference this card itself cites that has one
    (never another card's reference)."""
    profile = get_profile(answer.assessment.profile)
    out = {"label": f"Guideline assistant, {profile.name} profile"}
    corpus = answer.corpus or default_corpus()
    for n in cited:
        if 1 <= n <= len(answer.citations):
            ref = corpus.references[answer.citations[n - 1]]  # citations are numbered by reference, from 1
            if ref.url:
                out["url"] = ref.url
                break
    return out


def _sources_md(answer: Answer, only: list[int] | None = None) -> list[str]:
    return [f"{n}. {ref_label}" for n, _rid, ref_label, _where in answer._source_lines() if only is None or n in only]


def detail(answer: Answer, reading: Reading) -> str:
    lead = answer.direct if answer.direct is not None else answer.headline
    marks = lead.citations if lead is not None else []
    parts: list[str] = [f"**Short answer.** {with_marks(bottom_line(answer), marks)}"]
    urgent = [
        (r, item)
        for section in answer.sections
        for item in section.items
        if (r := item.rec) is not None and r.urgency is not Urgency.INFO
    ]
    if urgent:
        parts.append("**Act on:**\n" + "\n".join(f"- {with_marks(i.text, i.citations)}" for _r, i in urgent))
    if reading.used:
        parts.append("**From the record:**\n" + "\n".join(f"- {md(u)}" for u in reading.used))
    missing = _missing_words(answer, reading)
    if missing:
        parts.append("**Missing:**\n" + "\n".join(f"- {md(m)}" for m in missing))
    if reading.set_aside:
        parts.append("**Set aside (not used):**\n" + "\n".join(f"- {md(s)}" for s in reading.set_aside))
    if reading.not_used:
        parts.append("**Not used (not known to this service):**\n" + "\n".join(f"- {md(s)}" for s in reading.not_used))
    if reading.notes:
        parts.append("**Notes:**\n" + "\n".join(f"- {md(n)}" for n in reading.notes))
    cited = sorted({n for n in marks} | {n for _r, i in urgent for n in i.citations})
    sources = _sources_md(answer, cited)
    if sources:
        more = len(answer.citations) - len(sources)
        tail = f"\n\n(The full plan cites {more} more sources.)" if more > 0 else ""
        parts.append("**Sources:**\n" + "\n".join(sources) + tail)
    if answer.disclaimer:
        parts.append(f"_{answer.disclaimer}_")
    return "\n\n".join(parts)


def cards(answer: Answer, reading: Reading, instance: str = "") -> list[dict[str, Any]]:
    """The cards for one answer; `instance` (the hookInstance) makes the card ids stable per call."""
    lead = answer.direct if answer.direct is not None else answer.headline
    main = {
        "uuid": str(uuid.uuid5(_NAMESPACE, f"{instance}:main")),
        "summary": shorten(bottom_line(answer)),
        "indicator": indicator(answer),
        "detail": detail(answer, reading),
        "source": _source(answer, list(lead.citations) if lead is not None else []),
    }
    out = [main]
    for section in answer.sections:
        for item in section.items:
            r = item.rec
            if r is None or r.urgency is not Urgency.CRITICAL:
                continue
            out.append(
                {
                    "uuid": str(uuid.uuid5(_NAMESPACE, f"{instance}:{r.id}")),
                    "summary": shorten(item.text),
                    "indicator": Urgency.CRITICAL.value,
                    "detail": with_marks(item.text, item.citations)
                    + "\n\n**Sources:**\n"
                    + "\n".join(_sources_md(answer, item.citations)),
                    "source": _source(answer, list(item.citations)),
                }
            )
    return out

