"""Answer selection: which question an answer is for, and what explains a decision change."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from assistant.brief import words as brief_words
from assistant.conversation_facts import wording, wording_list
from assistant.engine import DECIDING_TOPICS, all_rules
from assistant.engine.knowledge.profiles import get_profile
from assistant.engine.model import SECTION_ORDER, Assessment, Decision, Recommendation, Section
from assistant.facts import Intent, Parsed
from assistant.parse.intent import find_intents
from assistant.statements import render_statement

# Intents that ask about the conversation itself rather than for a new assessment.
META = {Intent.WHY, Intent.SOURCES, Intent.MISSING_FACTS, Intent.RESET}
# Intents that show the whole answer (a new fact after a focused question shows the whole plan again).
WHOLE = {Intent.MANAGEMENT_OVERALL, Intent.TREAT_OR_NOT, Intent.FULL_PLAN}


def engine_intent_for(intent: Intent, last: Intent, hypothetical: bool, only_switch: bool) -> Intent:
    """Which question the answer is for: a new question, or the last one again for new facts."""
    if intent in META or intent == Intent.FACTS_ONLY or only_switch:
        engine_intent = last if last in WHOLE else Intent.MANAGEMENT_OVERALL
        if hypothetical and intent == Intent.FACTS_ONLY:
            engine_intent = last
        return engine_intent
    return intent


# Question kinds the engine assesses under a related intent (the direct answer answers the kind itself).
_ASSESSED_AS = {
    Intent.SAFE_WITH: Intent.DRUG_CHOICE,
    Intent.COMBINATION: Intent.DRUG_CHOICE,
    Intent.DOSE_TIMING: Intent.DOSE,
    Intent.NEXT_DRUG: Intent.DRUG_HOLIDAY_OR_DURATION,
}
_DENOSUMAB_KINDS = (Intent.DOSE_TIMING, Intent.NEXT_DRUG)


def settle_kind(kind: Intent, intents: list[Intent], named: list[str]) -> Intent:
    """The question kind, checked against the drugs named: "together" without two bone drugs is not
    a question about combining them (the next intent found, or the whole plan)."""
    if kind == Intent.COMBINATION and len(named) < 2:
        rest = [i for i in intents if i != Intent.COMBINATION]
        return rest[0] if rest else Intent.MANAGEMENT_OVERALL
    return kind


def assessed_as(kind: Intent, named: list[str]) -> Intent:
    """The engine intent for a question kind: a dose of denosumab given late, or what follows it, is
    assessed as stopping denosumab (so the follow-on advice is there to answer from)."""
    if kind in _DENOSUMAB_KINDS and "denosumab" in named:
        return Intent.DENOSUMAB_STOP
    return _ASSESSED_AS.get(kind, kind)


def is_acknowledgement(text: str) -> bool:
    """Whether a message only acknowledges ("ok thanks", "hmm", "great, got it")."""
    words = set(wording_list("acknowledgements"))
    rest = " ".join(re.findall(r"[a-z']+", text.lower()))
    if not rest:
        return False
    for phrase in sorted(words, key=len, reverse=True):
        rest = re.sub(rf"\b{re.escape(phrase)}\b", " ", rest)
    return not rest.strip() or bool(re.fullmatch(r"(?:h+m+|m+h*m+|u+h+m*|a+h+)\s*", rest.strip()))


def keeps_question(intent: Intent, only_switch: bool) -> bool:
    """Whether this turn's intent becomes the question that later facts-only turns answer again."""
    return intent not in META and intent != Intent.FACTS_ONLY and not only_switch


def profile_words(key: str, switched: tuple[str, str], **params: Any) -> str:
    """A profile-change message (prompts/statements/profiles.yaml), naming the profiles in full."""
    before, after = (get_profile(p).name for p in switched)
    return render_statement(key, {"before": before, "after": after, **params})


def decision_name(d: Decision) -> str:
    return wording()["decisions"].get(d.value, d.value)


@lru_cache(maxsize=1)
def rule_topics() -> dict[str, str]:
    return {r.id: r.topic for r in all_rules()}


def deciding_paths(a: Assessment) -> set[str]:
    topics = rule_topics()
    return {p for step in a.trace if topics.get(step.rule) in DECIDING_TOPICS for p in step.used}


def is_read(group: str, used: set[str]) -> bool:
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


def drugs_named(parsed: Parsed) -> list[str]:
    """The bone drugs a message names (lexicon concepts), in order, each once."""
    out: dict[str, None] = {}
    for facts in (parsed.facts, parsed.hypothetical):
        if facts is None:
            continue
        for m in facts.mentions:
            if m.category == "drug":
                out.setdefault(m.concept, None)
        for med in facts.medications:
            out.setdefault(med.name, None)
    return list(out)


def recognised_kind(parsed: Parsed, text: str) -> bool:
    """False for a question whose kind the parser did not find (it fell back to the whole plan): the
    answer then says what it understood and answers the nearest thing."""
    if parsed.intents not in ([Intent.MANAGEMENT_OVERALL], [Intent.FACTS_ONLY]) or "?" not in text:
        return True
    return bool(find_intents(text.lower()))


def _shown(r: Recommendation) -> tuple[Section, str]:
    """A recommendation as the short answer shows it: its section and its words."""
    return r.section, brief_words(r, render_statement(r.statement, r.params))


def _same(old: Recommendation | None, new: Recommendation) -> bool:
    """Whether a recommendation reads the same before and after. The words are a function of the statement
    and its exact values (what the statement memo keys on), so only recommendations whose values changed
    are worded to compare them."""
    if old is None or old.section != new.section:
        return False
    if old.statement == new.statement and repr(old.params) == repr(new.params):
        return True
    return _shown(old) == _shown(new)


def what_changed(
    before: Assessment, after: Assessment, changed_groups: list[str] | None = None
) -> tuple[list[str], set[str]]:
    """Between two assessments: the answer sections whose recommendations changed (the bottom line when
    the decision or its reason changed), those the changed facts touch most first (prompts/
    conversation.yaml `touches`), then the others in answer order; and the ids of the recommendations
    that are new or worded differently (in the short answer's words)."""
    old = {r.id: r for r in before.recommendations}
    new = {r.id: r for r in after.recommendations}
    changed_ids = {rid for rid, r in new.items() if not _same(old.get(rid), r)}
    gone_sections = {r.section for rid, r in old.items() if rid not in new}
    moved = {new[rid].section for rid in changed_ids} | {
        sec for sec in gone_sections if any(r.section == sec for r in new.values())
    }

    def because(a: Assessment) -> tuple[str, str] | None:
        if a.because is None:
            return None
        return a.decision.value, render_statement(a.because.statement, a.because.params)

    touched = []
    for section in SECTION_ORDER:
        if section == Section.BOTTOM_LINE:
            if because(before) != because(after) or section in moved:
                touched.append(section.value)
        elif section != Section.CLARIFY and section in moved:
            touched.append(section.value)
    first: list[str] = []
    touches = wording().get("touches", {})
    changed = {g.partition(".")[0] for g in changed_groups or ()}
    for field, titles in touches.items():  # in the file's order: the most telling fact first
        if field not in changed:
            continue
        for title in titles.split("|"):
            if title in touched and title not in first:
                first.append(title)
    return first + [t for t in touched if t not in first], changed_ids
