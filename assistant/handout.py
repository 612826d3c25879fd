"""A one-patient handout: a conversation as one self-contained HTML page, for printing and projecting.

What was read (the final facts with the words they came from), the direct answer and the plan with
numbered citations, the reasoning, the what-ifs explored (marked as such), the T-score and FRAX
picture as inline SVG (assistant/handout_svg.py, from the same data as the app's picture), the sources
with their passages and links, the disclaimer, the date and the guideline profile.

The wording and layout are in prompts/handout.html.j2 (Jinja2 with autoescaping: user text is always
text, never markup). Only `today()` reads the clock, when the caller gives no date: the same
conversation and date always give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from assistant.conversation import Conversation, Reply
from assistant.corpus import Corpus
from assistant.engine import DECIDING_TOPICS, all_rules, assess
from assistant.engine.knowledge.profiles import get_profile
from assistant.engine.model import Assessment, Decision
from assistant.facts import Facts, Intent
from assistant.handout_facts import fact_rows, facts_read, noted
from assistant.handout_svg import picture_svg
from assistant.html_templates import html_template
from assistant.picture_data import frax_rows, t_score_rows
from assistant.render import Answer, Item, build_answer, label, reference_labels

# Questions whose answer is the whole plan; after any other last question the handout adds the whole
# plan on the final facts.
_WHOLE = {Intent.MANAGEMENT_OVERALL, Intent.TREAT_OR_NOT, Intent.FULL_PLAN}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def today() -> str:
    """The date to print: $SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdecimal():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date().isoformat()
    return _dt.datetime.now(_dt.UTC).date().isoformat()


# -- citations: one numbering for the whole page ---------------------------------------------------
@dataclass
class _Numbers:
    """Passages numbered in order of first use on the page (answer first, then reasoning, what-ifs)."""

    order: dict[str, int] = field(default_factory=dict)

    def of(self, pids: list[str]) -> list[int]:
        out: list[int] = []
        for pid in pids:
            n = self.order.setdefault(pid, len(self.order) + 1)
            if n not in out:
                out.append(n)
        return out

    def item(self, answer: Answer, item: Item) -> dict[str, Any]:
        """One statement with its citations renumbered for the page."""
        # A statement cites its own passages (the engine's, or the direct answer's); an item without them
        # cites by reference, and then every passage of that reference the answer used.
        own = item.rec.citations if item.rec is not None and item.rec.citations else item.passages
        if own:
            return {"text": item.text, "cites": self.of(list(own))}
        pids = [
            pid
            for n in item.citations
            if 0 < n <= len(answer.citations)
            for pid in answer.passages.get(answer.citations[n - 1], ())
        ]
        return {"text": item.text, "cites": self.of(pids)}


def _answer_block(answer: Answer, numbers: _Numbers) -> dict[str, Any]:
    direct = answer.direct  # the direct answer, where there is one, with its citations
    headline = answer.headline
    return {
        "title": answer.title,
        "direct": numbers.item(answer, direct) if direct is not None and direct.text else None,
        "headline": numbers.item(answer, headline) if headline is not None else None,
        "sections": [
            {"title": s.title, "entries": [numbers.item(answer, i) for i in s.items]} for s in answer.sections
        ],
        "follow_up": answer.follow_up,
    }


# -- the reasoning ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _topics() -> dict[str, str]:
    return {r.id: r.topic for r in all_rules()}


def _reasoning(a: Assessment, numbers: _Numbers) -> list[dict[str, Any]]:
    """The deciding rules, in order: what each concluded, what it compared against, which facts it read."""
    topics = _topics()
    steps = []
    for step in a.trace:
        if topics.get(step.rule) not in DECIDING_TOPICS:
            continue
        steps.append(
            {
                "result": _readable(step.result),
                "threshold": _readable(step.threshold) if step.threshold else None,
                "used": facts_read(a.facts, step.used),
                "cites": numbers.of(list(step.cites)),
                "rule": step.rule,
            }
        )
    return steps


def _readable(text: str) -> str:
    """A trace line for a reader: comparison signs as printed maths."""
    return text.replace(">=", "≥").replace("<=", "≤")


# -- the page --------------------------------------------------------------------------------------
def patient_replies(conv: Conversation) -> list[Reply]:
    """The turns about the current patient: those after the last "new patient" (one page per patient)."""
    replies = list(conv.replies)
    resets = [i for i, r in enumerate(replies) if r.kind == "reset"]
    return replies[resets[-1] + 1 :] if resets else replies


def _main_reply(replies: list[Reply]) -> Reply | None:
    """The last answer on the patient's recorded facts (not a what-if), else the last answer of any kind."""
    answered = [r for r in replies if r.answer is not None and r.kind in ("answer", "out_of_scope")]
    real = [r for r in answered if not r.hypothetical and r.kind == "answer"]
    return (real or answered or [None])[-1]


def _is_what_if(reply: Reply) -> bool:
    """A what-if answer ("what if her eGFR were 30?"); a "why?" about one only explains it."""
    return reply.hypothetical and reply.kind == "answer"


def _turn_outcome(reply: Reply) -> str:
    if reply.kind == "why" and reply.hypothetical:
        return "explained the what-if answer"
    if reply.answer is not None and reply.kind == "answer":
        d = reply.answer.assessment.decision
        if d != Decision.NA:
            return f"drug treatment {label('decisions', d.value)}"
        return "answered"
    return {"why": "explained", "sources": "sources shown", "missing": "missing facts listed",
            "reset": "new patient", "out_of_scope": "out of scope"}.get(reply.kind, "message")


def handout_context(conv: Conversation, *, date: str) -> dict[str, Any]:
    numbers = _Numbers()
    replies = patient_replies(conv)
    main = _main_reply(replies)
    profile = get_profile(conv.profile)
    ctx: dict[str, Any] = {
        "date": date,
        "profile_id": profile.id,
        "profile_name": profile.name,
        "first_question": replies[0].user if replies else None,
        "turns": [
            {"n": r.turn, "user": r.user, "what_if": _is_what_if(r), "outcome": _turn_outcome(r),
             "changes": list(r.changes)}
            for r in replies
        ],
        "main": None,
        "main_question": None,
        "main_turn": None,
        "plan": None,
        "reasoning": [],
        "decision": None,
        "facts": fact_rows(conv.facts),
        "noted": noted(conv.facts),
        "what_ifs": [],
        "svg": None,
        "sources": [],
        "disclaimer": "",
    }
    if main is not None and main.answer is not None:
        answer = main.answer
        ctx["main"] = _answer_block(answer, numbers)
        ctx["main_question"] = main.user
        ctx["main_turn"] = main.turn
        ctx["disclaimer"] = answer.disclaimer
        a = answer.assessment
        if main.kind == "answer" and a.intent not in _WHOLE and a.in_scope:
            # A focused last question: its answer above, and the whole plan on the final facts below.
            whole = assess(conv.facts, Intent.MANAGEMENT_OVERALL, conv.profile)
            plan = build_answer(main.user, whole, corpus=conv.corpus)
            ctx["plan"] = _answer_block(plan, numbers)
            a = whole
        ctx["reasoning"] = _reasoning(a, numbers)
        if a.decision != Decision.NA:
            ctx["decision"] = label("decisions", a.decision.value)
    ctx["svg"] = picture_svg(conv.facts)
    for r in replies:
        if not _is_what_if(r) or r.answer is None:
            continue
        ans = r.answer
        ctx["what_ifs"].append(
            {
                "n": r.turn,
                "user": r.user,
                "preface": [p for p in ans.preface if p.strip()],
                # the what-if leads with what it does to the decision (conversation.py), then its answer
                "direct": numbers.item(ans, ans.direct) if ans.direct is not None else None,
                "headline": numbers.item(ans, ans.headline) if ans.headline is not None else None,
                "outcome": _turn_outcome(r),
                # The what-if's own picture, when it moves a T-score or a FRAX value.
                "svg": picture_svg(ans.assessment.facts, what_if=True, key=f"pic-turn-{r.turn}")
                if _moves_picture(conv.facts, ans)
                else None,
            }
        )
    compared = [r.answer.comparison for r in replies if r.answer is not None and r.answer.comparison is not None]
    ctx["comparison"] = _comparison(compared[-1], numbers) if compared else None
    ctx["sources"] = _sources(conv.corpus, list(numbers.order))
    if not ctx["disclaimer"]:
        from assistant.render import prompts

        ctx["disclaimer"] = prompts().disclaimer
    return ctx


def _comparison(shown: Any, numbers: _Numbers) -> dict[str, Any]:
    """The guideline profiles side by side ("compare guidelines"), a row per question, cited."""
    return {
        "current": shown.names.get(shown.current, shown.current),
        "rows": [
            {
                "label": row.label,
                "differ": row.differ,
                "cells": [{"name": c.name, "text": c.text, "cites": numbers.of(list(c.passages))} for c in row.cells],
            }
            for row in shown.rows
        ],
        "notes": [{"text": n.text, "cites": numbers.of(list(n.passages))} for n in shown.notes],
        "summary": {"text": shown.summary.text, "cites": numbers.of(list(shown.summary.passages))},
    }


def _moves_picture(recorded: Facts, answer: Answer) -> bool:
    f = answer.assessment.facts
    return t_score_rows(recorded) != t_score_rows(f) or frax_rows(recorded) != frax_rows(f)


def _sources(corpus: Corpus, pids: list[str]) -> list[dict[str, Any]]:
    labels = reference_labels(corpus, pids)
    out = []
    for n, (pid, ref_label) in enumerate(zip(pids, labels, strict=True), start=1):
        p = corpus.passages[pid]
        ref = corpus.references[p.ref]
        out.append({"n": n, "id": pid, "where": p.where, "text": " ".join(p.text.split()), "reference": ref_label,
                    "url": ref.url})
    return out


def render_handout(conv: Conversation, *, date: str | None = None) -> str:
    """The conversation as one self-contained HTML page (no external assets)."""
    ctx = handout_context(conv, date=date or today())
    page = html_template("handout.html.j2").render(**ctx)
    # Control characters a user pasted (escape sequences, NUL) are not allowed in HTML: dropped.
    return _CONTROL.sub("", page).rstrip() + "\n"
