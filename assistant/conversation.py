"""A conversation: turns in, answers out, the patient's facts derived by folding an append-only log.

`Conversation` is the one API the CLI, the terminal app and transcript replays use. Each user turn
appends typed events (said, asserted, corrected, retracted, what-if, reset, profile); the patient's
facts are the fold of those events, kept incrementally so a turn costs the same at turn 1 and 200.
A what-if is a fold with extra events that are not kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from assistant.corpus import Corpus, default_corpus
from assistant.engine import assess
from assistant.engine.model import Assessment, Decision
from assistant.facts import Facts, Intent, Parsed, Site, Span
from assistant.parse import parse
from assistant.render import Answer, build_answer, label, message
from assistant.statements import num

PROFILES: tuple[str, ...] = ("us", "aace", "acp", "endocrine")
MAX_INPUT_CHARS = 20_000  # longer pastes are cut (and the user told) so a turn stays instant

# Intents that ask about the conversation itself rather than for a new assessment.
_META = {Intent.WHY, Intent.SOURCES, Intent.MISSING_FACTS, Intent.RESET}
_SCALARS = (
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
)


class EventKind(StrEnum):
    SAID = "said"
    ASSERTED = "asserted"
    CORRECTED = "corrected"
    RETRACTED = "retracted"
    WHAT_IF = "what_if"
    RESET = "reset"
    PROFILE = "profile"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    turn: int
    text: str = ""
    facts: Facts | None = None
    fields: tuple[str, ...] = ()
    value: str | None = None


@dataclass
class Reply:
    """What one turn produced: the rendered answer (or a plain message) and what changed."""

    turn: int
    user: str
    kind: str  # "answer", "why", "sources", "missing", "reset", "message", "out_of_scope"
    answer: Answer | None
    text: str  # the rendered text (plain format)
    changes: list[str] = field(default_factory=list)
    hypothetical: bool = False

    def format(self, fmt: str = "text") -> str:
        """The reply in one of the answer formats (text, markdown, json, jsonl)."""
        if fmt in ("json", "jsonl"):
            if self.answer is not None and self.kind in ("answer", "out_of_scope"):
                return self.answer.json() + "\n"
            payload: dict[str, Any] = {"schema": "assistant.reply/1", "kind": self.kind, "text": self.text}
            return json.dumps(payload, ensure_ascii=False) + "\n"
        if fmt == "markdown" and self.answer is not None and self.kind in ("answer", "out_of_scope"):
            return self.answer.markdown()
        return self.text


def merge(state: Facts, delta: Facts, turn: int | None = None) -> tuple[Facts, list[str]]:
    """Fold one turn's facts into the state. Later values replace earlier ones; returns what changed."""
    new = state.model_copy(deep=True)
    changes: list[str] = []
    for name in _SCALARS:
        value = getattr(delta, name)
        if value is None:
            continue
        old = getattr(new, name)
        if old is not None and old != value:
            changes.append(f"{_fmt_field(name)} {_fmt(value)} (was {_fmt(old)})")
        setattr(new, name, value)
    for kind in ("t_scores", "z_scores"):
        target: dict[Site, float] = getattr(new, kind)
        for site, value in getattr(delta, kind).items():
            old = target.get(site)
            if old is not None and old != value:
                letter = "T" if kind == "t_scores" else "Z"
                changes.append(f"{label('sites', site.value)} {letter}-score {_fmt(value)} (was {_fmt(old)})")
            target[site] = value
    if delta.frax is not None:
        frax = new.frax.model_copy() if new.frax else delta.frax.model_copy()
        for part in ("major", "hip"):
            value = getattr(delta.frax, part)
            if value is None:
                continue
            old = getattr(new.frax, part) if new.frax else None
            if old is not None and old != value:
                changes.append(f"FRAX {part} {_fmt(value)}% (was {_fmt(old)}%)")
            setattr(frax, part, value)
        new.frax = frax
    if delta.egfr is not None:
        new.egfr_is_crcl = delta.egfr_is_crcl
    for site in delta.fracture_sites:
        if site not in new.fracture_sites:
            new.fracture_sites.append(site)
    for med in delta.medications:
        new.medications = [m for m in new.medications if m.name != med.name] + [med]
    for key, value in delta.conditions.items():
        old_c = new.conditions.get(key)
        if old_c is not None and old_c != value:
            changes.append(f"{_fmt_field(key)}: {'yes' if value else 'no'} (was {'yes' if old_c else 'no'})")
        new.conditions[key] = value
    for key, span in delta.sources.items():
        new.sources[key] = span.model_copy(update={"turn": turn}) if turn is not None else span
    new.mentions.extend(m.model_copy(update={"span": m.span.model_copy(update={"turn": turn})}) for m in delta.mentions)
    # Doubts belong to the message that raised them.
    new.questions = list(delta.questions)
    new.contradictions = list(delta.contradictions)
    new.notes = list(delta.notes)
    return new, changes


def retract(state: Facts, fields: tuple[str, ...]) -> tuple[Facts, list[str]]:
    new = state.model_copy(deep=True)
    removed: list[str] = []
    defaults = Facts()
    for path in fields:
        head, _, tail = path.partition(".")
        if head in ("t_scores", "z_scores") and tail:
            getattr(new, head).pop(Site(tail), None)
        elif head == "conditions" and tail:
            new.conditions.pop(tail, None)
        elif head in Facts.model_fields:
            setattr(new, head, getattr(defaults, head))
        else:
            continue
        new.sources = {k: v for k, v in new.sources.items() if not k.startswith(path)}
        removed.append(_fmt_field(path))
    return new, removed


def _fmt(value: Any) -> str:
    if hasattr(value, "value"):
        return str(value.value)
    return num(value)


def _fmt_field(name: str) -> str:
    return label("fields", name)


class Conversation:
    """A whole conversation with one patient (until reset)."""

    def __init__(self, profile: str = "us", corpus: Corpus | None = None) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; one of {', '.join(PROFILES)}")
        self.profile = profile
        self.corpus = corpus or default_corpus()
        self.events: list[Event] = []
        self.replies: list[Reply] = []
        self._facts = Facts()
        self._last_score: str | None = None  # field path of the most recent score ("t_scores.total_hip")
        self._last_intent = Intent.MANAGEMENT_OVERALL
        self._last_assessment: Assessment | None = None
        self._last_answer: Answer | None = None

    # -- state ---------------------------------------------------------------------------------
    @property
    def facts(self) -> Facts:
        return self._facts

    @property
    def turn(self) -> int:
        return len(self.replies)

    @property
    def last_assessment(self) -> Assessment | None:
        return self._last_assessment

    def _record(self, event: Event) -> None:
        self.events.append(event)

    # -- a turn --------------------------------------------------------------------------------
    def ask(self, text: str) -> Reply:
        """Take one user message and answer it. Never raises on any text."""
        turn = self.turn + 1
        raw = text if isinstance(text, str) else str(text)
        self._record(Event(EventKind.SAID, turn, text=raw))
        if not raw.strip():
            return self._plain(turn, raw, "message", message("no_input"))
        cut = len(raw) > MAX_INPUT_CHARS
        parsed = parse(raw[:MAX_INPUT_CHARS])
        reply = self._answer(turn, raw, parsed)
        if cut:
            reply.text = (
                f"(Only the first {MAX_INPUT_CHARS} characters of this message were read.)\n" + reply.text
            )
        return reply

    def _plain(self, turn: int, user: str, kind: str, text: str, answer: Answer | None = None) -> Reply:
        reply = Reply(turn=turn, user=user, kind=kind, answer=answer, text=text.rstrip() + "\n")
        self.replies.append(reply)
        return reply

    def _answer(self, turn: int, user: str, parsed: Parsed) -> Reply:
        intent = parsed.intent
        if parsed.profile and parsed.profile in PROFILES and parsed.profile != self.profile:
            self.profile = parsed.profile
            self._record(Event(EventKind.PROFILE, turn, value=parsed.profile))

        if intent == Intent.RESET:
            self._record(Event(EventKind.RESET, turn))
            self._facts = Facts()
            self._last_score = None
            self._last_assessment = None
            self._last_answer = None
            self._last_intent = Intent.MANAGEMENT_OVERALL
            return self._plain(turn, user, "reset", message("reset"))

        if intent == Intent.OUT_OF_SCOPE:
            a = assess(Facts(), Intent.OUT_OF_SCOPE, self.profile)
            ans = build_answer(user, a, corpus=self.corpus)
            return self._plain(turn, user, "out_of_scope", ans.text(), ans)

        # Fold this turn's facts (unless it only asks about earlier answers).
        before = self._last_assessment
        changes: list[str] = []
        state = self._facts
        if parsed.relabel_site is not None and self._last_score:
            state, moved = self._relabel(state, parsed.relabel_site)
            changes.extend(moved)
            self._record(Event(EventKind.CORRECTED, turn, fields=(parsed.relabel_site.value,)))
        if parsed.retract:
            state, removed = retract(state, tuple(parsed.retract))
            changes.extend(f"{r} removed" for r in removed)
            self._record(Event(EventKind.RETRACTED, turn, fields=tuple(parsed.retract)))
        delta = parsed.facts
        has_facts = _has_content(delta)
        if has_facts or delta.questions or delta.contradictions:
            state, merged = merge(state, delta, turn)
            changes.extend(merged)
            kind = EventKind.CORRECTED if parsed.is_correction else EventKind.ASSERTED
            self._record(Event(kind, turn, facts=delta))
            self._remember_last_score(delta)
        elif state is self._facts:
            state = state.model_copy(update={"questions": [], "contradictions": [], "notes": []})
        self._facts = state

        if intent == Intent.SOURCES and not has_facts:
            return self._sources(turn, user, parsed.show_citation)
        if intent == Intent.WHY and not has_facts:
            return self._why(turn, user)
        if intent == Intent.MISSING_FACTS and not has_facts:
            return self._missing(turn, user)

        if parsed.unrecognised and not has_facts and not changes and parsed.hypothetical is None:
            return self._plain(turn, user, "message", message("unreadable"))

        engine_intent = intent
        if intent in (Intent.FACTS_ONLY,) or intent in _META:
            engine_intent = self._last_intent if self._last_assessment is not None else Intent.MANAGEMENT_OVERALL
            if intent == Intent.FACTS_ONLY and engine_intent not in (Intent.MANAGEMENT_OVERALL, Intent.TREAT_OR_NOT):
                engine_intent = Intent.MANAGEMENT_OVERALL
        preface: list[str] = []
        hypothetical = parsed.hypothetical is not None and _has_content(parsed.hypothetical)
        if hypothetical:
            assert parsed.hypothetical is not None
            facts_for_engine, what = merge(state, parsed.hypothetical)
            listed = _describe(parsed.hypothetical)
            self._record(Event(EventKind.WHAT_IF, turn, facts=parsed.hypothetical))
            preface.append(message("hypothetical", changes=listed or what))
        else:
            facts_for_engine = state
            if changes:
                preface.append(message("updated", changes=changes))
        a = assess(facts_for_engine, engine_intent, self.profile)
        if before is not None and before.decision != a.decision and a.decision != Decision.NA:
            if before.decision != Decision.NA:
                cause = _describe(parsed.hypothetical if hypothetical else delta) or ["the new facts"]
                preface.append(
                    message(
                        "decision_changed",
                        before=label("decisions", before.decision.value),
                        after=label("decisions", a.decision.value),
                        cause=" and ".join(cause),
                    )
                )
        ans = build_answer(user, a, preface=preface, corpus=self.corpus)
        if not hypothetical:
            self._last_assessment = a
            self._last_answer = ans
            if intent not in _META and intent != Intent.FACTS_ONLY:
                self._last_intent = intent
        reply = Reply(turn, user, "answer", ans, ans.text(), changes=changes, hypothetical=hypothetical)
        self.replies.append(reply)
        return reply

    # -- meta answers ----------------------------------------------------------------------------
    def _why(self, turn: int, user: str) -> Reply:
        from assistant.explain import explain

        if self._last_assessment is None or self._last_answer is None:
            return self._plain(turn, user, "message", message("no_input"))
        return self._plain(turn, user, "why", explain(self._last_assessment, self._last_answer), self._last_answer)

    def _sources(self, turn: int, user: str, number: int | None) -> Reply:
        from assistant.explain import show_sources

        if self._last_answer is None:
            return self._plain(turn, user, "message", message("no_input"))
        return self._plain(turn, user, "sources", show_sources(self._last_answer, number), self._last_answer)

    def _missing(self, turn: int, user: str) -> Reply:
        from assistant.explain import missing

        a = self._last_assessment or assess(self._facts, Intent.MANAGEMENT_OVERALL, self.profile)
        return self._plain(turn, user, "missing", missing(a), self._last_answer)

    # -- helpers -------------------------------------------------------------------------------
    def _remember_last_score(self, delta: Facts) -> None:
        for key in reversed(list(delta.sources)):
            if key.startswith(("t_scores.", "z_scores.")) or key in ("t_score_unsited", "z_score_unsited"):
                self._last_score = key
                return

    def _relabel(self, state: Facts, site: Site) -> tuple[Facts, list[str]]:
        key = self._last_score
        assert key is not None
        new = state.model_copy(deep=True)
        kind = "z_scores" if key.startswith("z") else "t_scores"
        if key in ("t_score_unsited", "z_score_unsited"):
            value = getattr(new, key)
            setattr(new, key, None)
        else:
            value = getattr(new, kind).pop(Site(key.split(".", 1)[1]), None)
        if value is None:
            return state, []
        getattr(new, kind)[site] = value
        span: Span | None = new.sources.pop(key, None)
        new_key = f"{kind}.{site.value}"
        if span is not None:
            new.sources[new_key] = span
        self._last_score = new_key
        old_label = key.split(".", 1)[1] if "." in key else "unspecified site"
        return new, [f"{_fmt(value)} moved to the {label('sites', site.value)} (was {label('sites', old_label)})"]


def _has_content(f: Facts) -> bool:
    return any(
        (
            any(getattr(f, n) is not None for n in _SCALARS),
            f.t_scores,
            f.z_scores,
            f.frax is not None,
            f.fracture_sites,
            f.medications,
            f.conditions,
        )
    )


def _describe(f: Facts | None) -> list[str]:
    """A what-if or a delta in words: ['eGFR 30', 'sex male']."""
    if f is None:
        return []
    out: list[str] = []
    for name in _SCALARS:
        value = getattr(f, name)
        if value is not None:
            out.append(f"{_fmt_field(name)} {_fmt(value)}")
    for kind, letter in (("t_scores", "T"), ("z_scores", "Z")):
        for site, value in getattr(f, kind).items():
            out.append(f"{label('sites', site.value)} {letter}-score {_fmt(value)}")
    if f.frax is not None:
        if f.frax.major is not None:
            out.append(f"FRAX major {_fmt(f.frax.major)}%")
        if f.frax.hip is not None:
            out.append(f"FRAX hip {_fmt(f.frax.hip)}%")
    for key, value in f.conditions.items():
        out.append(f"{_fmt_field(key)}: {'yes' if value else 'no'}")
    for med in f.medications:
        out.append(med.name)
    return out
