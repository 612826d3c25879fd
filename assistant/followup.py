"""Bone-health follow-ups are never refused (issue 16).

A short follow-up in a conversation about a patient ("what if he was on 40 mg a day?", "when do I restart?")
may carry no bone-health word of its own, and the parser then reads it as outside the assistant's scope.
When the conversation already holds a patient and the message names no other clinical topic, it is a follow-up
on the same patient: it keeps the conversation's question, and a bare daily dose on a patient taking
glucocorticoids is read as a what-if on the glucocorticoid dose.
"""

from __future__ import annotations

import re
from functools import cache

from assistant.datafiles import corpus_file, parse_yaml_file
from assistant.facts import Facts, Intent, Parsed
from assistant.parse.lexicon import find_concepts
from assistant.parse.normalise import tokenize

_DAILY_DOSE = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*(?:mg|milligrams?)\s*(?:a|per|/|each)?\s*(?:day|daily|d)\b|\b(\d+(?:\.\d+)?)\s*mg\s+daily\b",
    re.I,
)
_WHAT_IF = re.compile(r"\b(?:what if|if (?:he|she|they) (?:was|were|is|had)|suppose|say (?:he|she))\b", re.I)
_REFUSED = frozenset({Intent.OUT_OF_SCOPE})


@cache
def _other_topic_cues() -> tuple[re.Pattern[str], ...]:
    """The lexicon's cues for questions on other topics ("capital of", "write a poem")."""
    entries = parse_yaml_file(corpus_file("lexicon.yaml")).get("intents", [])
    return tuple(re.compile(c) for e in entries if e.get("intent") == "out_of_scope" for c in e.get("cues", []))


def names_other_topic(parsed: Parsed) -> bool:
    """The message names another clinical topic (a lexicon out-of-scope word) or asks about another subject."""
    low = parsed.text.lower()
    if any(cue.search(low) for cue in _other_topic_cues()):
        return True
    return any(m.concept.category == "out_of_scope" for m in find_concepts(tokenize(low)))


def rescope(parsed: Parsed, state: Facts, last_intent: Intent, has_patient: bool) -> Parsed:
    """`parsed`, re-read as a follow-up on the current patient when it was refused only for want of a bone word."""
    if parsed.intent not in _REFUSED or not has_patient or names_other_topic(parsed):
        return parsed
    intent = last_intent if last_intent not in _REFUSED else Intent.MANAGEMENT_OVERALL
    update: dict = {"intents": [intent]}
    dose = _DAILY_DOSE.search(parsed.text)
    if dose is not None and state.glucocorticoids is True:
        mg = float(dose.group(1) or dose.group(2))
        said = Facts(glucocorticoids=True, glucocorticoid_dose_mg=mg)
        if _WHAT_IF.search(parsed.text):
            update["hypothetical"] = said
        else:
            update["facts"] = said
    return parsed.model_copy(update=update)
