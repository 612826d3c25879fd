"""A conversation: turns in, answers out, the patient's facts derived by folding an append-only log.

`Conversation` is the one API the CLI, the terminal app and transcript replays use. Each user turn
appends typed events (said, asserted, corrected, retracted, relabelled, what-if, reset, profile);
the patient's facts are the fold of those events (`fold(conv.events) == conv.facts`), kept
incrementally so that a turn costs the same at turn 1 and at turn 200. A what-if is a fold with
extra facts that are not kept.

Each turn is computed first and committed at the end, so a turn that fails leaves the state as it
was. Nothing here depends on time or on hash order: the same turns give the same bytes.

The parts, one job each: conversation_events (the log's events), conversation_facts (facts by group
and in words), conversation_fold (merge, retract, relabel, fold), conversation_select (which question
an answer is for, what explains a decision change); this module holds the Conversation object.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field
from typing import Any

from assistant.conversation_events import Event, EventKind
from assistant.conversation_facts import (
    describe,
    describe_change,
    describe_group,
    diff,
    get_group,
    has_content,
    revert,
)
from assistant.conversation_fold import (
    apply_event,
    fold,
    last_score_path,
    merge,
    move_fracture,
    relabel,
    retract,
    without_doubts,
)
from assistant.conversation_select import (
    WHOLE,
    assessed_as,
    deciding_paths,
    decision_name,
    drugs_named,
    engine_intent_for,
    is_acknowledgement,
    is_read,
    keeps_question,
    profile_words,
    recognised_kind,
    settle_kind,
    what_changed,
)
from assistant.corpus import Corpus, default_corpus
from assistant.direct import direct_answer, without_verdict
from assistant.engine import assess
from assistant.engine.compare import compare
from assistant.engine.model import Assessment, Decision, Section
from assistant.facts import Facts, Intent, Parsed
from assistant.followup import rescope
from assistant.parse import parse
from assistant.read_as import ReadAs, build_read_as
from assistant.render import Answer, build_answer, label, message, shown_sections

PROFILES: tuple[str, ...] = ("us", "aace", "acp", "endocrine")
_HYPOTHETICAL = "Hypothetical, the recorded facts unchanged: "  # (prompts/messages.yaml decision_would_*)
MAX_INPUT_CHARS = 20_000  # longer pastes are cut (and the user told) so a turn stays instant
FOLLOW_UP_WORDS = 300  # a follow-up's answer (before its sources) stays within this many words


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
    read_as: ReadAs | None = None  # what the message was read as (its line opens the text)

    def format(self, fmt: str = "text") -> str:
        """The reply in one of the answer formats (text, markdown, json, jsonl)."""
        if fmt in ("json", "jsonl"):
            if self.answer is not None and self.kind in ("answer", "out_of_scope"):
                data = self.answer.as_dict()
                data["turn"] = self.turn
                data["hypothetical"] = self.hypothetical
                data["changes"] = list(self.changes)
                data["text"] = self.text
                if self.read_as is not None:
                    data["read_as"] = self.read_as.as_dict()
                return json.dumps(data, ensure_ascii=False) + "\n"
            payload: dict[str, Any] = {
                "schema": "assistant.reply/1",
                "turn": self.turn,
                "kind": self.kind,
                "text": self.text,
            }
            if self.read_as is not None:
                payload["read_as"] = self.read_as.as_dict()
            return json.dumps(payload, ensure_ascii=False) + "\n"
        if fmt == "markdown" and self.answer is not None and self.kind in ("answer", "out_of_scope"):
            return self.answer.markdown()
        return self.text


# -- the conversation --------------------------------------------------------------------------
@dataclass
class _Shown:
    """The last answer shown: what "why?" and "show 2" refer to."""

    assessment: Assessment
    answer: Answer
    hypothetical: bool


class Conversation:
    """A whole conversation with one patient (until reset)."""

    def __init__(
        self, profile: str = "us", corpus: Corpus | None = None, *, strict: bool = False, full: bool = False
    ) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; one of {', '.join(PROFILES)}")
        self.profile = profile
        self.initial_profile = profile
        self.corpus = corpus or default_corpus()
        self.strict = strict  # re-raise internal errors (tests) instead of answering "sorry"
        self.full = full  # every answer as the full plan (`assistant ask --full`)
        self.events: list[Event] = []
        self.replies: list[Reply] = []
        self._facts = Facts()
        self._intent = Intent.MANAGEMENT_OVERALL  # the last question asked (focused follow-ups reuse it)
        self._shown: _Shown | None = None
        self._real: Assessment | None = None  # the last assessment of the recorded facts
        # The last treatment decision made on the recorded facts, and the facts it was made on.
        self._decided: tuple[Decision, Facts] | None = None
        self._read: ReadAs | None = None  # what the message of this turn was read as

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
                self._read = build_read_as(parsed)
                reply = self._answer(turn, raw, parsed, pending)
                reply.read_as = self._read
                if reply.kind not in ("answer", "out_of_scope", "reset") and not self._read.empty:
                    # (an answer's templates put the line first; a plain reply that read something gets it
                    # here: "why?" or "show 2" read nothing and say nothing of it)
                    reply.text = self._read.line() + "\n\n" + reply.text
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
        rescoped = rescope(parsed, self._facts, self._intent, has_content(self._facts))
        if rescoped is not parsed:  # what the follow-up was read as in context ("30 mg a day": the steroid dose)
            self._read = build_read_as(rescoped)
        parsed = rescoped
        intent = parsed.intent
        delta = parsed.facts
        delta_has_content = has_content(delta)
        hypo = parsed.hypothetical if has_content(parsed.hypothetical) else None
        if intent == Intent.OUT_OF_SCOPE and not delta_has_content and hypo is None:
            a = assess(Facts(), Intent.OUT_OF_SCOPE, self.profile)
            ans = build_answer(user, a, corpus=self.corpus, read_as=self._read)
            return self._plain(turn, user, "out_of_scope", ans.text(), ans)

        # Fold this turn's own facts: relabel, retract, then the new values.
        before = self._facts
        state = before
        updates: list[str] = []
        removed: list[str] = []
        fracture_moved: list[str] = []
        if parsed.relabel_fracture is not None and parsed.relabel_fracture[0] in state.fracture_sites:
            # "actually it was the spine, not the hip" with a hip fracture said: the fracture moves, no score
            old_site, new_site = parsed.relabel_fracture
            state, fracture_moved = move_fracture(state, old_site, new_site)
            pending.append(Event(EventKind.RELABELLED, turn, fields=(f"fracture_sites.{old_site.value}",),
                                 value=f"fracture_sites.{new_site.value}"))
            updates.extend(fracture_moved)
        if parsed.relabel_site is not None and not fracture_moved:
            source = last_score_path(state)
            moved: list[str] = []
            if source is not None:
                event = Event(
                    EventKind.RELABELLED,
                    turn,
                    fields=(source,),
                    value=f"{'z' if source.startswith('z') else 't'}_scores.{parsed.relabel_site.value}",
                )
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
            state = without_doubts(state)
        self._facts = state
        changed_state = bool(updates or removed or delta_has_content)

        if not changed_state and hypo is None:
            if intent == Intent.SOURCES:
                return self._sources(turn, user, parsed.show_citation)
            if intent == Intent.WHY:
                return self._why(turn, user)
            if intent == Intent.MISSING_FACTS:
                return self._missing(turn, user)
            if switched is not None and only_switch and not has_content(state):
                return self._plain(turn, user, "message", profile_words("profile-set", switched))
            if parsed.unrecognised and is_acknowledgement(user):
                return self._plain(turn, user, "message", message("acknowledged"))
            if parsed.unrecognised or (intent == Intent.FACTS_ONLY and not has_facts):
                return self._plain(turn, user, "message", message("unreadable"))

        # Which question the answer is for: a new question, or the last one again for new facts.
        kind = engine_intent_for(intent, self._intent, hypo is not None, only_switch)
        named = drugs_named(parsed)
        kind = settle_kind(kind, parsed.intents, named)
        engine_intent = assessed_as(kind, named)
        # A follow-up that only adds facts to an answer already shown: show what changed, and where.
        # A what-if shows what it would change against the answer on the recorded facts.
        previous = self._real if self._shown is not None else None
        facts_follow_up = (
            previous is not None and intent == Intent.FACTS_ONLY and changed_state and hypo is None and not self.full
        )
        what_if = previous is not None and intent == Intent.FACTS_ONLY and hypo is not None and not self.full
        changed_groups = diff(before, state) if changed_state else []  # the fact groups this turn changed
        added = [describe_group(state, g) + " (new)" for g in changed_groups if get_group(before, g) is None]

        preface: list[str] = []
        if switched is not None:
            preface.append(profile_words("profile-changed", switched))
        if updates and not facts_follow_up:
            preface.append(message("updated", changes=updates))
        if removed and not facts_follow_up:
            preface.append(message("removed", removed=removed))
        if hypo is not None:
            facts_for_engine, _ = merge(state, hypo)
            facts_for_engine = facts_for_engine.model_copy(
                update={"questions": state.questions + hypo.questions, "notes": state.notes + hypo.notes}
            )
            pending.append(Event(EventKind.WHAT_IF, turn, facts=hypo))
            hypothetical = message("hypothetical", changes=describe(hypo))
        else:
            facts_for_engine = state
        a = assess(facts_for_engine, engine_intent, self.profile)

        change = None
        what_if_line: str | None = None  # what the what-if does to the decision: the answer leads with it
        if hypo is not None:
            real = self._real_assessment(engine_intent)
            if real is not None and a.decision != Decision.NA and real.decision not in (Decision.NA, a.decision):
                cause = self._cause(real.facts, facts_for_engine, real.decision, engine_intent, a)
                change = (real.decision.value, a.decision.value, cause)
                what_if_line = message(
                    "decision_would_change",
                    before=decision_name(real.decision),
                    after=decision_name(a.decision),
                    cause=" and ".join(cause),
                )
        if hypo is not None and change is None and a.decision != Decision.NA:
            real = self._real_assessment(engine_intent)
            if real is not None and real.decision == a.decision:
                what_if_line = message("decision_would_stay", decision=decision_name(a.decision))
        if hypo is not None and (self._read is None or what_if_line is None):
            # the "Read as" line names the what-if's values; the decision line then says it is hypothetical
            preface.append(hypothetical)
            if what_if_line is not None:
                what_if_line = what_if_line.replace(_HYPOTHETICAL, "", 1)
                what_if_line = what_if_line[:1].upper() + what_if_line[1:]
        decision_line: int | None = None  # where the preface says the treatment decision changed
        if hypo is None and a.decision != Decision.NA:
            if switched is not None and self._decided is not None and self._decided[0] != a.decision:
                preface.append(
                    profile_words(
                        "profile-changed-decision",
                        switched,
                        decision_before=decision_name(self._decided[0]),
                        decision_after=decision_name(a.decision),
                    )
                )
            elif self._decided is not None and self._decided[0] != a.decision:
                old_decision, old_facts = self._decided
                cause = self._cause(old_facts, state, old_decision, engine_intent, a)
                change = (old_decision.value, a.decision.value, cause)
                decision_line = len(preface)
                preface.append(
                    message(
                        # the bottom line says why, so the cause is not said twice
                        "decision_changed_short" if a.because is not None else "decision_changed",
                        before=decision_name(old_decision),
                        after=decision_name(a.decision),
                        cause=" and ".join(cause),
                    )
                )
            self._decided = (a.decision, state)

        comparison = None
        if intent == Intent.COMPARE:  # "compare guidelines": the same facts under every profile, side by side
            comparison = compare(facts_for_engine, engine_intent, {self.profile: a})
        full = self.full or kind == Intent.FULL_PLAN
        changed = updates + added + [f"{r} removed" for r in removed]
        sections = shown_sections(kind)
        direct = None
        only: set[str] | None = None
        stands = False  # the direct answer says the decision stands: no bottom line repeating it
        if facts_follow_up and previous is not None:
            touched, only = what_changed(previous, a, changed_groups)
            sections = [Section.CLARIFY.value, *touched]
            # Said once: new facts are on the "Read as" line, and the bottom line says why the decision changed.
            new_facts = [] if self._read is not None and self._read.used else added
            decided = preface.pop(decision_line) if decision_line is not None else ""
            if not decided and a.decision != Decision.NA and self._shown is not None:
                decided = message("decision_stays", decision=decision_name(a.decision))
                stands = True  # said in the direct answer: the bottom line is not repeated
            direct = (
                message(
                    "follow_up_changes",
                    changes=updates + new_facts,
                    removed=removed,
                    decided=decided,
                    touched=bool(touched),
                ),
                [],
            )
        elif what_if and previous is not None:
            touched, only = what_changed(previous, a, diff(state, facts_for_engine))
            sections = [Section.CLARIFY.value, *touched]
            if what_if_line is not None:
                direct = (what_if_line, [])
                stands = change is None
        elif comparison is not None:  # "compare guidelines": where the profiles differ, first
            from assistant.render_compare import summary_text

            direct = (summary_text(comparison), [])
        elif not full or kind != Intent.FULL_PLAN:
            found = direct_answer(kind, a, user, named, recognised=recognised_kind(parsed, user))
            if found is not None:
                direct = (found.text, found.citations)
        if what_if_line is not None and (direct is None or direct[0] != what_if_line):
            # a what-if leads with what it does to the decision, then answers its question
            if direct is None:
                direct = (what_if_line, [])
            else:
                direct = (f"{what_if_line} {without_verdict(direct[0])}", direct[1])
            stands = stands or change is None
        focused = facts_follow_up or what_if or kind not in WHOLE
        budget = FOLLOW_UP_WORDS if (self._shown is not None and not full and focused) else None
        ans = build_answer(
            user,
            a,
            preface=preface,
            corpus=self.corpus,
            comparison=comparison,
            sections=sections,
            full=full,
            direct=direct,
            changed=changed,
            budget=budget,
            only=only,
            read_as=self._read,
            bottom_line=not stands,
        )
        text = ans.text()
        nothing = not ans.sections and ans.headline is None and ans.direct is None
        if nothing and engine_intent not in WHOLE and a.in_scope:
            text = "\n".join([*preface, "", message("focused_empty")]).lstrip("\n")
            if self._read is not None:
                text = self._read.line() + "\n\n" + text
        self._shown = _Shown(a, ans, hypo is not None)
        if hypo is None:
            self._real = a
            if keeps_question(intent, only_switch):
                self._intent = kind
        reply = self._plain(turn, user, "answer", text, ans)
        reply.changes = updates + [f"{r} removed" for r in removed]
        reply.hypothetical = hypo is not None
        reply.cited = ans.cited_passages
        reply.decision_change = change
        return reply

    def _real_assessment(self, intent: Intent) -> Assessment | None:
        """The assessment of the recorded facts (reused when nothing changed since)."""
        if self._real is not None and self._real.facts is self._facts and self._real.profile == self.profile:
            return self._real
        if not has_content(self._facts):
            return None
        return assess(self._facts, intent, self.profile)

    def _cause(self, before: Facts, after: Facts, old: Decision, intent: Intent, a: Assessment) -> list[str]:
        """Which changed facts made the decision change: among the changed facts that the deciding rules
        read, those that, put back alone, bring the old decision back."""
        groups = diff(before, after)
        used = deciding_paths(a)
        read = [g for g in groups if is_read(g, used)]
        groups = read or groups
        if len(groups) > 1:
            decisive = [
                g
                for g in groups
                if assess(revert(after, before, g), intent, self.profile, decision_only=True).decision == old
            ]
            groups = decisive or groups
        return [describe_change(before, after, g) for g in groups] or ["the new facts"]

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
            reply.cited = answer.cited_passages
        elif 1 <= number <= len(answer.citations):
            reply.cited = list(answer.passages[answer.citations[number - 1]])
        return reply

    def _missing(self, turn: int, user: str) -> Reply:
        from assistant.explain import missing

        a = self._real_assessment(self._intent if self._intent in WHOLE else Intent.MANAGEMENT_OVERALL)
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
