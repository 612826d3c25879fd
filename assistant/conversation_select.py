"""Answer selection: which question an answer is for, and what explains a decision change."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assistant.conversation_facts import wording
from assistant.engine import DECIDING_TOPICS, all_rules
from assistant.engine.model import Assessment, Decision
from assistant.engine.profiles import get_profile
from assistant.facts import Intent
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
