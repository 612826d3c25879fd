"""A conversation: turns in, answers out, the patient's facts derived by folding an append-only log.

`Conversation` is the one API the CLI, the terminal app and transcript replays use. Each user turn
appends typed events (said, asserted, corrected, retracted, relabelled, what-if, reset, profile);
the patient's facts are the fold of those events (`fold(conv.events) == conv.facts`), kept
incrementally so that a turn costs the same at turn 1 and at turn 200. A what-if is a fold with
extra facts that are not kept.

Each turn is computed first and committed at the end, so a turn that fails leaves the state as it
was. Nothing here depends on time or on hash order: the same turns give the same bytes.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from typing import Any

from assistant.corpus import Corpus, default_corpus
from assistant.datafiles import read_yaml
from assistant.engine import DECIDING_TOPICS, all_rules, assess
from assistant.engine.compare import compare
from assistant.engine.knowledge.profiles import get_profile
from assistant.engine.model import Assessment, Decision
from assistant.facts import Facts, Frax, Intent, Mention, Parsed, Site, Span
from assistant.followup import rescope
from assistant.parse import parse
from assistant.render import Answer, build_answer, label, message
from assistant.statements import PROMPTS_DIR, num, render_statement

PROFILES: tuple[str, ...] = ("us", "aace", "acp", "endocrine")
MAX_INPUT_CHARS = 20_000  # longer pastes are cut (and the user told) so a turn stays instant

# Intents that ask about the conversation itself rather than for a new assessment.
_META = {Intent.WHY, Intent.SOURCES, Intent.MISSING_FACTS, Intent.RESET}
# Intents that show the whole answer (a new fact after a focused question shows the whole plan again).
_WHOLE = {Intent.MANAGEMENT_OVERALL, Intent.TREAT_OR_NOT, Intent.FULL_PLAN}
_SCALARS: tuple[str, ...] = (
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
_SCORE_KINDS = ("t_scores", "z_scores")
# Fracture facts that a "she never had a fracture" withdraws along with the fracture itself.
_FRACTURE_CONDITIONS = ("recent_fracture", "multiple_fractures", "fracture_on_therapy")


class EventKind(StrEnum):
    SAID = "said"
    ASSERTED = "asserted"
    CORRECTED = "corrected"
    RETRACTED = "retracted"
    RELABELLED = "relabelled"
    WHAT_IF = "what_if"
    RESET = "reset"
    PROFILE = "profile"


@dataclass(frozen=True)
class Event:
    """One entry of the log. `facts` for asserted/corrected/what-if, `fields` for retracted,
    `fields=(from_path,)` and `value=to_path` for relabelled, `value` for profile."""

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
    state: Facts | None = None  # the patient's recorded facts after this turn
    cited: list[str] = field(default_factory=list)  # passage ids shown or cited by this reply
    decision_change: tuple[str, str, list[str]] | None = None  # (before, after, cause)
    error: str | None = None  # traceback of an internal error (the text says sorry)

    def format(self, fmt: str = "text") -> str:
        """The reply in one of the answer formats (text, markdown, json, jsonl)."""
        if fmt in ("json", "jsonl"):
            if self.answer is not None and self.kind in ("answer", "out_of_scope"):
                data = self.answer.as_dict()
                data["turn"] = self.turn
                data["hypothetical"] = self.hypothetical
                data["changes"] = list(self.changes)
                data["text"] = self.text
                return json.dumps(data, ensure_ascii=False) + "\n"
            payload: dict[str, Any] = {
                "schema": "assistant.reply/1",
                "turn": self.turn,
                "kind": self.kind,
                "text": self.text,
            }
            return json.dumps(payload, ensure_ascii=False) + "\n"
        if fmt == "markdown" and self.answer is not None and self.kind in ("answer", "out_of_scope"):
            return self.answer.markdown()
        return self.text


# -- wording -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _wording() -> dict[str, dict[str, str]]:
    raw = read_yaml(PROMPTS_DIR / "conversation.yaml")
    return {k: {str(kk): str(vv) for kk, vv in v.items()} for k, v in raw.items()}


def _name(path: str) -> str:
    head, _, tail = path.partition(".")
    if head in _SCORE_KINDS and tail:
        return f"{label('sites', tail)} {'T' if head == 't_scores' else 'Z'}-score"
    if head == "conditions" and tail:
        return label("fields", tail)
    if head == "medications" and tail:
        return tail
    return _wording()["names"].get(path, label("fields", path))


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return _wording()["values"][str(value).lower()]
    if hasattr(value, "value"):
        return str(value.value)
    return num(value)


def _profile_words(key: str, switched: tuple[str, str], **params: Any) -> str:
    """A profile-change message (prompts/statements/profiles.yaml), naming the profiles in full."""
    before, after = (get_profile(p).name for p in switched)
    return render_statement(key, {"before": before, "after": after, **params})


def _decision_name(d: Decision) -> str:
    return _wording()["decisions"].get(d.value, d.value)


# -- facts, by group ---------------------------------------------------------------------------
# A "group" is one user-level fact: "age", "frax", "t_scores.femoral_neck", "conditions.smoking",
# "prior_fragility_fracture" (with its sites), "medications.alendronate". Groups are what changes
# are reported on and what a decision change is explained by.
def _get(f: Facts, group: str) -> Any:
    head, _, tail = group.partition(".")
    if head in _SCORE_KINDS:
        return getattr(f, head).get(Site(tail))
    if head == "conditions":
        return f.conditions.get(tail)
    if head == "medications":
        return next((m for m in f.medications if m.name == tail), None)
    if head == "prior_fragility_fracture":
        return (f.prior_fragility_fracture, tuple(f.fracture_sites)) if (
            f.prior_fragility_fracture is not None or f.fracture_sites
        ) else None
    if head == "frax":
        return (f.frax.major, f.frax.hip) if f.frax is not None else None
    return getattr(f, head)


def _groups(f: Facts) -> list[str]:
    out = [n for n in _SCALARS if n != "prior_fragility_fracture" and getattr(f, n) is not None]
    if f.prior_fragility_fracture is not None or f.fracture_sites:
        out.append("prior_fragility_fracture")
    if f.frax is not None:
        out.append("frax")
    for kind in _SCORE_KINDS:
        out.extend(f"{kind}.{s.value}" for s in getattr(f, kind))
    out.extend(f"conditions.{k}" for k in f.conditions)
    out.extend(f"medications.{m.name}" for m in f.medications)
    return out


def _diff(before: Facts, after: Facts) -> list[str]:
    """Groups whose value differs between two states, in a stable order (after's order first)."""
    seen: dict[str, None] = {}
    for g in _groups(after) + _groups(before):
        if g not in seen and _get(before, g) != _get(after, g):
            seen[g] = None
    return list(seen)


def _revert(after: Facts, before: Facts, group: str) -> Facts:
    """`after` with one group put back as it was in `before`."""
    new = _copy(after)
    head, _, tail = group.partition(".")
    if head in _SCORE_KINDS:
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


def _describe_group(f: Facts, group: str) -> str:
    head, _, tail = group.partition(".")
    value = _get(f, group)
    if value is None:
        return f"no {_name(group)}" if head != "conditions" else f"{_name(group)} not stated"
    if head == "frax":
        parts = []
        if f.frax is not None and f.frax.major is not None:
            parts.append(f"major {_fmt(f.frax.major)}%")
        if f.frax is not None and f.frax.hip is not None:
            parts.append(f"hip {_fmt(f.frax.hip)}%")
        return "FRAX " + " and ".join(parts)
    if head == "prior_fragility_fracture":
        sites = ", ".join(s.value for s in f.fracture_sites)
        if f.prior_fragility_fracture is False:
            return "no prior fragility fracture"
        return "a prior fragility fracture" + (f" ({sites})" if sites else "")
    if head == "conditions":
        return f"{_name(group)}: {_fmt(value)}"
    if head == "medications":
        return tail
    if isinstance(value, bool):
        return f"{_name(group)}: {_fmt(value)}"
    return f"{_name(group)} {_fmt(value)}"


def _describe_change(before: Facts, after: Facts, group: str) -> str:
    """A changed group in words, naming only the parts that changed ("FRAX major 25%")."""
    if group == "frax" and before.frax is not None and after.frax is not None:
        parts = [
            f"{part} {_fmt(getattr(after.frax, part))}%"
            for part in ("major", "hip")
            if getattr(after.frax, part) is not None and getattr(after.frax, part) != getattr(before.frax, part)
        ]
        if parts:
            return "FRAX " + " and ".join(parts)
    return _describe_group(after, group)


def _describe(f: Facts) -> list[str]:
    """Every fact of `f` in words: ['eGFR 30', 'sex male']."""
    return [_describe_group(f, g) for g in _groups(f)]




@lru_cache(maxsize=1)
def _rule_topics() -> dict[str, str]:
    return {r.id: r.topic for r in all_rules()}


def _deciding_paths(a: Assessment) -> set[str]:
    topics = _rule_topics()
    return {p for step in a.trace if topics.get(step.rule) in DECIDING_TOPICS for p in step.used}


def _is_read(group: str, used: set[str]) -> bool:
    """Whether a rule that read `used` fact paths read this group ("frax" is read by "frax.major")."""
    head, _, tail = group.partition(".")
    aliases = {group, head}
    if head == "prior_fragility_fracture":
        aliases.add("fracture_sites")
    for path in used:
        p_head = path.partition(".")[0]
        if path in aliases or (p_head == head and head in ("frax", "prior_fragility_fracture")):
            return True
        if p_head == "fracture_sites" and head == "prior_fragility_fracture":
            return True
    return False


# -- the fold ----------------------------------------------------------------------------------
def _copy(f: Facts) -> Facts:
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


def _at_turn(span: Span, turn: int | None) -> Span:
    if turn is None or span.turn == turn:
        return span
    # The constructor is about twice as fast as model_copy for this small frozen model.
    return Span(start=span.start, end=span.end, text=span.text, turn=turn)


def merge(state: Facts, delta: Facts, turn: int | None = None) -> tuple[Facts, list[str]]:
    """Fold one message's facts into the state. Later values replace earlier ones.

    Returns the new state (the old one is not changed) and the replaced values in words
    ("age 58 (was 67)"). The cost depends on the size of the delta and of the (bounded) state,
    never on the number of turns: mentions are kept once per concept, the latest winning.
    """
    new = _copy(state)
    changes: list[str] = []

    def changed(group: str, old_text: str) -> None:
        changes.append(f"{_describe_group(new, group)} (was {old_text})")

    said = vars(delta)  # the fields' values, read from the model's dict (a model's attribute read is slower)
    for name in _SCALARS:
        value = said[name]
        if value is None:
            continue
        old = getattr(new, name)
        if name == "prior_fragility_fracture":
            old_sites = ", ".join(s.value for s in new.fracture_sites)
            if value is False:
                new.fracture_sites = []
                for c in _FRACTURE_CONDITIONS:
                    if new.conditions.get(c):
                        new.conditions.pop(c)
            new.prior_fragility_fracture = value
            if old is not None and old != value:
                was = _fmt(old) + (f", {old_sites}" if old_sites and old else "")
                changes.append(f"{_name(name)}: {_fmt(value)} (was {was})")
            continue
        setattr(new, name, value)
        if old is not None and old != value:
            changed(name, _fmt(old))
    for kind in _SCORE_KINDS:
        target: dict[Site, float] = getattr(new, kind)
        for site, value in getattr(delta, kind).items():
            old = target.get(site)
            target[site] = value
            if old is not None and old != value:
                changed(f"{kind}.{site.value}", _fmt(old))
    if delta.frax is not None:
        old_frax = new.frax
        major = delta.frax.major if delta.frax.major is not None else (old_frax.major if old_frax else None)
        hip = delta.frax.hip if delta.frax.hip is not None else (old_frax.hip if old_frax else None)
        new.frax = Frax(**{**vars(delta.frax), "major": major, "hip": hip})  # cheaper than model_copy
        if old_frax is not None:
            for part in ("major", "hip"):
                was, now = getattr(old_frax, part), getattr(new.frax, part)
                if was is not None and was != now:
                    changes.append(f"FRAX {part} {_fmt(now)}% (was {_fmt(was)}%)")
    if delta.egfr is not None:
        new.egfr_is_crcl = delta.egfr_is_crcl
    if delta.fracture_sites and new.prior_fragility_fracture is False and delta.prior_fragility_fracture is None:
        new.prior_fragility_fracture = True
        changes.append("a prior fragility fracture (was no prior fragility fracture)")
    for site in delta.fracture_sites:
        if site not in new.fracture_sites:
            new.fracture_sites.append(site)
    for med in delta.medications:
        old_med = next((m for m in new.medications if m.name == med.name), None)
        new.medications = [m for m in new.medications if m.name != med.name] + [med]
        if old_med is not None and old_med.status != med.status:
            changes.append(f"{med.name} {med.status.value} (was {old_med.status.value})")
    for key, flag in delta.conditions.items():
        old_c = new.conditions.get(key)
        new.conditions[key] = flag
        if old_c is not None and old_c != flag:
            changed(f"conditions.{key}", _fmt(old_c))
    for key, span in delta.sources.items():
        new.sources[key] = _at_turn(span, turn)
    if delta.mentions:
        latest: dict[tuple[str, str, str | None], Mention] = {
            (m.concept, m.category, m.detail): m for m in new.mentions
        }
        for m in delta.mentions:
            key = (m.concept, m.category, m.detail)
            latest.pop(key, None)  # re-inserted last: the list stays in order of latest statement
            span = _at_turn(m.span, turn)
            latest[key] = m if span is m.span else replace(m, span=span)
        new.mentions = list(latest.values())
    # Doubts belong to the message that raised them.
    new.questions = list(delta.questions)
    new.contradictions = list(delta.contradictions)
    new.notes = list(delta.notes)
    return new, changes


def retract(state: Facts, fields: Iterable[str]) -> tuple[Facts, list[str]]:
    """Withdraw facts by path ("prior_fragility_fracture", "t_scores.femoral_neck", "conditions.smoking").

    Returns the new state and what was removed, in words (only what was actually there)."""
    new = _copy(state)
    removed: list[str] = []
    defaults = Facts()
    for path in fields:
        head, _, tail = path.partition(".")
        group = path
        if head in ("fracture_sites",):
            group = "prior_fragility_fracture"
        if head == "frax" and tail:
            group = "frax"
        try:
            before = _get(new, group)
        except (ValueError, AttributeError):
            continue
        if before is None:
            continue
        shown = _describe_group(new, group)
        if head in _SCORE_KINDS and tail:
            getattr(new, head).pop(Site(tail), None)
        elif head == "conditions" and tail:
            new.conditions.pop(tail, None)
        elif head == "medications" and tail:
            new.medications = [m for m in new.medications if m.name != tail]
        elif head == "frax" and tail in ("major", "hip") and new.frax is not None:
            new.frax = new.frax.model_copy(update={tail: None})
            if new.frax.major is None and new.frax.hip is None:
                new.frax = None
            shown = f"FRAX {tail} {_fmt(getattr(state.frax, tail))}%" if state.frax else shown
        elif head in ("prior_fragility_fracture", "fracture_sites"):
            new.prior_fragility_fracture = None
            new.fracture_sites = []
            for c in _FRACTURE_CONDITIONS:
                new.conditions.pop(c, None)
        elif head in Facts.model_fields and head not in ("sources", "mentions"):
            setattr(new, head, getattr(defaults, head))
        else:
            continue
        new.sources = {k: v for k, v in new.sources.items() if not (k == path or k.startswith(path + "."))}
        removed.append(shown)
    return new, removed


def last_score_path(f: Facts) -> str | None:
    """The score stated last ("t_scores.femoral_neck", "t_score_unsited"), from where its words were."""
    best: tuple[int, int] | None = None
    found: str | None = None
    for key, span in f.sources.items():
        head = key.partition(".")[0]
        if head not in _SCORE_KINDS and key not in ("t_score_unsited", "z_score_unsited"):
            continue
        if _score_value(f, key) is None:
            continue
        pos = (span.turn or 0, span.start)
        if best is None or pos >= best:
            best, found = pos, key
    return found


def _score_value(f: Facts, path: str) -> float | None:
    if path in ("t_score_unsited", "z_score_unsited"):
        return getattr(f, path)
    head, _, tail = path.partition(".")
    try:
        return getattr(f, head).get(Site(tail))
    except (ValueError, AttributeError):
        return None


def relabel(state: Facts, from_path: str, site: Site) -> tuple[Facts, list[str]]:
    """Move the score at `from_path` to `site` ("sorry, that was the lumbar spine")."""
    value = _score_value(state, from_path)
    if value is None:
        return state, []
    kind = "z_scores" if from_path.startswith("z") else "t_scores"
    to_path = f"{kind}.{site.value}"
    if to_path == from_path:
        return state, []
    new = _copy(state)
    if from_path in ("t_score_unsited", "z_score_unsited"):
        setattr(new, from_path, None)
        old_place = "site not stated"
    else:
        getattr(new, kind).pop(Site(from_path.split(".", 1)[1]), None)
        old_place = label("sites", from_path.split(".", 1)[1])
    replaced = getattr(new, kind).get(site)
    getattr(new, kind)[site] = value
    span = new.sources.pop(from_path, None)
    if span is not None:
        new.sources[to_path] = span
    letter = "Z" if kind == "z_scores" else "T"
    text = f"{letter}-score {_fmt(value)} is at the {label('sites', site.value)} (was {old_place})"
    if replaced is not None:
        text += f", replacing {_fmt(replaced)}"
    return new, [text]


def apply_event(state: Facts, event: Event) -> Facts:
    """One step of the fold. Events that do not change the patient's facts return the state as is."""
    if event.kind in (EventKind.ASSERTED, EventKind.CORRECTED) and event.facts is not None:
        return merge(state, event.facts, event.turn)[0]
    if event.kind == EventKind.RETRACTED:
        return retract(state, event.fields)[0]
    if event.kind == EventKind.RELABELLED and event.fields and event.value:
        return relabel(state, event.fields[0], Site(event.value.split(".", 1)[1]))[0]
    if event.kind == EventKind.RESET:
        return Facts()
    return state


def fold(events: Iterable[Event]) -> Facts:
    """The patient's facts from a whole log (the conversation keeps the same fold incrementally)."""
    state = Facts()
    for e in events:
        state = apply_event(state, e)
    return state


def _without_doubts(f: Facts) -> Facts:
    if not (f.questions or f.contradictions or f.notes):
        return f
    return f.model_copy(update={"questions": [], "contradictions": [], "notes": []})


def _has_content(f: Facts | None) -> bool:
    """Whether `f` holds any group of facts (the same test as `bool(_groups(f))`, without building them)."""
    if f is None:
        return False
    if f.frax is not None or f.fracture_sites or f.t_scores or f.z_scores or f.conditions or f.medications:
        return True
    said = vars(f)
    return any(said[n] is not None for n in _SCALARS)


# -- the conversation --------------------------------------------------------------------------
@dataclass
class _Shown:
    """The last answer shown: what "why?" and "show 2" refer to."""

    assessment: Assessment
    answer: Answer
    hypothetical: bool


class Conversation:
    """A whole conversation with one patient (until reset)."""

    def __init__(self, profile: str = "us", corpus: Corpus | None = None, *, strict: bool = False) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; one of {', '.join(PROFILES)}")
        self.profile = profile
        self.initial_profile = profile
        self.corpus = corpus or default_corpus()
        self.strict = strict  # re-raise internal errors (tests) instead of answering "sorry"
        self.events: list[Event] = []
        self.replies: list[Reply] = []
        self._facts = Facts()
        self._intent = Intent.MANAGEMENT_OVERALL  # the last question asked (focused follow-ups reuse it)
        self._shown: _Shown | None = None
        self._real: Assessment | None = None  # the last assessment of the recorded facts
        # The last treatment decision made on the recorded facts, and the facts it was made on.
        self._decided: tuple[Decision, Facts] | None = None

    # -- state ---------------------------------------------------------------------------------
    @property
    def facts(self) -> Facts:
        return self._facts

    @property
    def turn(self) -> int:
        return len(self.replies)

    @property
    def last_assessment(self) -> Assessment | None:
        return self._shown.assessment if self._shown else None

    @property
    def last_answer(self) -> Answer | None:
        return self._shown.answer if self._shown else None

    # -- a turn --------------------------------------------------------------------------------
    def ask(self, text: str) -> Reply:
        """Take one user message and answer it. Never raises on any text (unless strict)."""
        turn = self.turn + 1
        raw = text if isinstance(text, str) else str(text)
        if not raw.isascii():
            # Lone surrogates (from broken terminals or files) cannot be written as UTF-8: show U+FFFD.
            raw = raw.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        pending: list[Event] = [Event(EventKind.SAID, turn, text=raw)]
        saved = (self._facts, self._intent, self._shown, self._real, self._decided, self.profile)
        try:
            if not raw.strip():
                reply = self._plain(turn, raw, "message", message("no_input"))
            else:
                cut = len(raw) > MAX_INPUT_CHARS
                parsed = parse(raw[:MAX_INPUT_CHARS])
                reply = self._answer(turn, raw, parsed, pending)
                if cut:
                    reply.text = (
                        f"(Only the first {MAX_INPUT_CHARS} characters of this message were read.)\n" + reply.text
                    )
        except Exception as exc:
            if self.strict:
                raise
            self._facts, self._intent, self._shown, self._real, self._decided, self.profile = saved
            pending = pending[:1]
            reply = self._plain(turn, raw, "message", message("internal_error", error=type(exc).__name__))
            reply.error = traceback.format_exc()
        self.events.extend(pending)
        reply.state = self._facts
        self.replies.append(reply)
        return reply

    def _plain(self, turn: int, user: str, kind: str, text: str, answer: Answer | None = None) -> Reply:
        return Reply(turn=turn, user=user, kind=kind, answer=answer, text=text.rstrip() + "\n")

    def _answer(self, turn: int, user: str, parsed: Parsed, pending: list[Event]) -> Reply:
        intent = parsed.intent
        switched: tuple[str, str] | None = None  # (before, after) when this turn changes the guideline profile
        if parsed.profile and parsed.profile in PROFILES and parsed.profile != self.profile:
            switched = (self.profile, parsed.profile)
            self.profile = parsed.profile
            pending.append(Event(EventKind.PROFILE, turn, value=parsed.profile))
        only_switch = switched is not None and not parsed.intents  # "use the AACE profile": same question again

        if intent == Intent.RESET:
            pending.append(Event(EventKind.RESET, turn))
            self._facts = Facts()
            self._intent = Intent.MANAGEMENT_OVERALL
            self._shown = self._real = None
            self._decided = None
            return self._plain(turn, user, "reset", message("reset"))

        # A bone-health follow-up without a bone word of its own is never refused (assistant/followup.py).
        parsed = rescope(parsed, self._facts, self._intent, _has_content(self._facts))
        intent = parsed.intent
        delta = parsed.facts
        delta_has_content = _has_content(delta)
        hypo = parsed.hypothetical if _has_content(parsed.hypothetical) else None
        if intent == Intent.OUT_OF_SCOPE and not delta_has_content and hypo is None:
            a = assess(Facts(), Intent.OUT_OF_SCOPE, self.profile)
            ans = build_answer(user, a, corpus=self.corpus)
            return self._plain(turn, user, "out_of_scope", ans.text(), ans)

        # Fold this turn's own facts: relabel, retract, then the new values.
        before = self._facts
        state = before
        updates: list[str] = []
        removed: list[str] = []
        if parsed.relabel_site is not None:
            source = last_score_path(state)
            moved: list[str] = []
            if source is not None:
                event = Event(EventKind.RELABELLED, turn, fields=(source,),
                              value=f"{'z' if source.startswith('z') else 't'}_scores.{parsed.relabel_site.value}")
                state, moved = relabel(state, source, parsed.relabel_site)
                if moved:
                    pending.append(event)
                    updates.extend(moved)
            if not moved and not delta_has_content and hypo is None:
                site = label("sites", parsed.relabel_site.value)
                return self._plain(turn, user, "message", message("relabel_nothing", site=site))
        if parsed.retract:
            state, gone = retract(state, parsed.retract)
            if gone:
                pending.append(Event(EventKind.RETRACTED, turn, fields=tuple(parsed.retract)))
                removed.extend(gone)
        has_facts = delta_has_content or bool(delta.questions or delta.contradictions)
        if has_facts:
            state, merged = merge(state, delta, turn)
            updates.extend(merged)
            kind = EventKind.CORRECTED if parsed.is_correction else EventKind.ASSERTED
            pending.append(Event(kind, turn, facts=delta))
        else:
            state = _without_doubts(state)
        self._facts = state
        changed_state = bool(updates or removed or delta_has_content)

        if not changed_state and hypo is None:
            if intent == Intent.SOURCES:
                return self._sources(turn, user, parsed.show_citation)
            if intent == Intent.WHY:
                return self._why(turn, user)
            if intent == Intent.MISSING_FACTS:
                return self._missing(turn, user)
            if switched is not None and only_switch and not _has_content(state):
                return self._plain(turn, user, "message", _profile_words("profile-set", switched))
            if parsed.unrecognised or (intent == Intent.FACTS_ONLY and not has_facts):
                return self._plain(turn, user, "message", message("unreadable"))

        # Which question the answer is for: a new question, or the last one again for new facts.
        if intent in _META or intent == Intent.FACTS_ONLY or only_switch:
            engine_intent = self._intent if self._intent in _WHOLE else Intent.MANAGEMENT_OVERALL
            if hypo is not None and intent == Intent.FACTS_ONLY:
                engine_intent = self._intent
        else:
            engine_intent = intent

        preface: list[str] = []
        if switched is not None:
            preface.append(_profile_words("profile-changed", switched))
        if updates:
            preface.append(message("updated", changes=updates))
        if removed:
            preface.append(message("removed", removed=removed))
        if hypo is not None:
            facts_for_engine, _ = merge(state, hypo)
            facts_for_engine = facts_for_engine.model_copy(
                update={"questions": state.questions + hypo.questions, "notes": state.notes + hypo.notes}
            )
            pending.append(Event(EventKind.WHAT_IF, turn, facts=hypo))
            preface.append(message("hypothetical", changes=_describe(hypo)))
        else:
            facts_for_engine = state
        a = assess(facts_for_engine, engine_intent, self.profile)

        change = None
        if hypo is not None:
            real = self._real_assessment(engine_intent)
            if real is not None and a.decision != Decision.NA and real.decision not in (Decision.NA, a.decision):
                cause = self._cause(real.facts, facts_for_engine, real.decision, engine_intent, a)
                change = (real.decision.value, a.decision.value, cause)
                preface.append(
                    message(
                        "decision_would_change",
                        before=_decision_name(real.decision),
                        after=_decision_name(a.decision),
                        cause=" and ".join(cause),
                    )
                )
        if hypo is not None and change is None and a.decision != Decision.NA:
            real = self._real_assessment(engine_intent)
            if real is not None and real.decision == a.decision:
                preface.append(message("decision_would_stay", decision=_decision_name(a.decision)))
        if hypo is None and a.decision != Decision.NA:
            if switched is not None and self._decided is not None and self._decided[0] != a.decision:
                preface.append(
                    _profile_words(
                        "profile-changed-decision",
                        switched,
                        decision_before=_decision_name(self._decided[0]),
                        decision_after=_decision_name(a.decision),
                    )
                )
            elif self._decided is not None and self._decided[0] != a.decision:
                old_decision, old_facts = self._decided
                cause = self._cause(old_facts, state, old_decision, engine_intent, a)
                change = (old_decision.value, a.decision.value, cause)
                preface.append(
                    message(
                        "decision_changed",
                        before=_decision_name(old_decision),
                        after=_decision_name(a.decision),
                        cause=" and ".join(cause),
                    )
                )
            self._decided = (a.decision, state)

        comparison = None
        if intent == Intent.COMPARE:  # "compare guidelines": the same facts under every profile, side by side
            comparison = compare(facts_for_engine, engine_intent, {self.profile: a})
        ans = build_answer(user, a, preface=preface, corpus=self.corpus, comparison=comparison)
        text = ans.text()
        if not ans.sections and ans.headline is None and engine_intent not in _WHOLE and a.in_scope:
            text = "\n".join([*preface, "", message("focused_empty")]).lstrip("\n")
        self._shown = _Shown(a, ans, hypo is not None)
        if hypo is None:
            self._real = a
            if intent not in _META and intent != Intent.FACTS_ONLY and not only_switch:
                self._intent = intent
        reply = self._plain(turn, user, "answer", text, ans)
        reply.changes = updates + [f"{r} removed" for r in removed]
        reply.hypothetical = hypo is not None
        reply.cited = list(ans.citations)
        reply.decision_change = change
        return reply

    def _real_assessment(self, intent: Intent) -> Assessment | None:
        """The assessment of the recorded facts (reused when nothing changed since)."""
        if self._real is not None and self._real.facts is self._facts and self._real.profile == self.profile:
            return self._real
        if not _has_content(self._facts):
            return None
        return assess(self._facts, intent, self.profile)

    def _cause(self, before: Facts, after: Facts, old: Decision, intent: Intent, a: Assessment) -> list[str]:
        """Which changed facts made the decision change: among the changed facts that the deciding rules
        read, those that, put back alone, bring the old decision back."""
        groups = _diff(before, after)
        used = _deciding_paths(a)
        read = [g for g in groups if _is_read(g, used)]
        groups = read or groups
        if len(groups) > 1:
            decisive = [
                g for g in groups
                if assess(_revert(after, before, g), intent, self.profile, decision_only=True).decision == old
            ]
            groups = decisive or groups
        return [_describe_change(before, after, g) for g in groups] or ["the new facts"]

    # -- meta answers ----------------------------------------------------------------------------
    def _why(self, turn: int, user: str) -> Reply:
        from assistant.explain import explain

        if self._shown is None:
            return self._plain(turn, user, "message", message("nothing_to_explain"))
        shown = self._shown
        text = explain(shown.assessment, shown.answer, shown.hypothetical)
        reply = self._plain(turn, user, "why", text, shown.answer)
        reply.cited = [c for step in shown.assessment.trace for c in step.cites]
        reply.hypothetical = shown.hypothetical
        return reply

    def _sources(self, turn: int, user: str, number: int | None) -> Reply:
        from assistant.explain import show_sources

        if self._shown is None:
            return self._plain(turn, user, "message", message("nothing_to_cite"))
        answer = self._shown.answer
        reply = self._plain(turn, user, "sources", show_sources(answer, number), answer)
        if number is None:
            reply.cited = list(answer.citations)
        elif 1 <= number <= len(answer.citations):
            reply.cited = [answer.citations[number - 1]]
        return reply

    def _missing(self, turn: int, user: str) -> Reply:
        from assistant.explain import missing

        a = self._real_assessment(self._intent if self._intent in _WHOLE else Intent.MANAGEMENT_OVERALL)
        if a is None:
            a = assess(self._facts, Intent.MANAGEMENT_OVERALL, self.profile)
        return self._plain(turn, user, "missing", missing(a), self._shown.answer if self._shown else None)


__all__ = [
    "Conversation",
    "Event",
    "EventKind",
    "Reply",
    "PROFILES",
    "apply_event",
    "fold",
    "merge",
    "retract",
    "relabel",
    "last_score_path",
]
