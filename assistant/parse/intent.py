"""What a message asks for, and how it relates to the conversation (correction, removal, profile).

The cues are data (the `intents` and `profiles` sections of corpus/lexicon.yaml), compiled once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.datafiles import read_yaml
from assistant.facts import Intent
from assistant.parse.lexicon import LEXICON_PATH

# The head of a question is what it asks; what follows these words lists details.
TAIL_START = re.compile(r"\b(?:including|such as|using|taking into account|e\.g\.|for example|especially)\b")
TAIL_WORDS = ("including", "such as", "using", "taking into account", "e.g.", "for example", "especially")
CORRECTION = re.compile(
    r"^\W*(?:actually|sorry|correction|oops|my (?:mistake|bad)|i meant|i mean|no\s*,|nope|wait|make (?:that|it)|"
    r"scratch that|typo|rather|i misspoke|not\s+[-\d.]+\s*,?\s*but)\b|"
    r"\b(?:is|was|are|were|'s)\s+(?:actually|in fact)\b"  # "FRAX hip is actually 3.5%"
)
RELABEL = re.compile(
    r"\b(?:that|it|this|the)(?:\s+[\w-]+){0,2}?\s*(?:was|is|'s|were|should be)\s+(?:actually\s+|really\s+|in fact\s+)?"
    r"(?:at\s+|for\s+|from\s+)?(?:the\s+|her\s+|his\s+)?|\bi meant\s+(?:the\s+)?"
)
SHOW = re.compile(
    r"\bshow\s*(?:me\s+)?(?:the\s+)?(?:source|reference|citation|passage)?\s*(?:number\s*|no\.?\s*|#\s*)?\[?(\d{1,3})\]?|"
    r"^\W*\[(\d{1,3})\]\W*$|\b(?:source|reference|citation|passage)\s*(?:number\s*|no\.?\s*|#\s*)?\[?(\d{1,3})\]?"
)
PROFILE_ASK = re.compile(
    r"\bprofile\b|\b(?:use|switch(?:\s+to)?|apply|change\s+to|go\s+with|according\s+to|per)\s+(?:the\s+)?\w"
)
RETRACT = re.compile(
    r"\b(?:forget|ignore|remove|drop|disregard|delete|discard|scratch)\s+(?:about\s+)?(?:the\s+|her\s+|his\s+|that\s+)?"
    r"(?P<what>frax|e?gfr|crcl|age|t-?scores?|z-?scores?|fractures?|steroids?|prednisone|glucocorticoids?|"
    r"vitamin\s+d|medications?|drugs?|sex)\b"
)
# "that fracture was ...", "the hip fracture happened ...": a message about a fracture said before
REFERS_BACK = re.compile(
    r"\b(?:that|the|this|her|his|those|these)\s+(?:\w+\s+){0,2}?(?:fractures?|fx|break|broken\s+\w+)\s+"
    r"(?:was|were|is|happened|occurred|came|resulted|followed)\b|\b(?:it|that)\s+(?:was|happened)\s+(?:in|from|during|after)\b"
)
RETRACT_PATHS = {
    "frax": ["frax"], "egfr": ["egfr"], "gfr": ["egfr"], "crcl": ["egfr"], "age": ["age"],
    "t": ["t_scores", "t_score_unsited"], "z": ["z_scores", "z_score_unsited"],
    "fracture": ["prior_fragility_fracture", "fracture_sites"],
    "steroid": ["glucocorticoids", "glucocorticoid_dose_mg", "glucocorticoid_months"],
    "prednisone": ["glucocorticoids", "glucocorticoid_dose_mg", "glucocorticoid_months"],
    "glucocorticoid": ["glucocorticoids", "glucocorticoid_dose_mg", "glucocorticoid_months"], "vitamin": ["vitamin_d"],
    "medication": ["medications"], "drug": ["medications"], "sex": ["sex"],
}
EXPLICIT_TREAT = re.compile(
    r"\bshould (?:i|we|she|he|they|the patient) (?:treat|start|be treated)|\btreat or not\b|"
    r"\bneed (?:treatment|medication)"
)
# A question about some other drug or disease ("dose of amoxicillin"): an unknown word after "of/for".
OTHER_TOPIC = re.compile(r"\b(?:dose|dosing|dosage|treatment|treat|manage|management)\s+(?:of|for)\s+[a-z]{4,}")
GENERIC_TREATMENT = re.compile(r"\btreatment options?\b|\boptions for treatment\b")
_QUESTION_HEAD = r"\W*(?:what|how|when|why|which|should|is|are|can|could|does|do|would|will|who|where)\b"
_QUESTION_WORD = (
    r"\b(?:please|advice|advise|recommend\w*|help|protect\w*|prevent\w*|guidance|options?|suggest\w*|manag\w*)\b"
)
QUESTION = re.compile(r"\?|^" + _QUESTION_HEAD + "|" + _QUESTION_WORD)
# is_question tries QUESTION's branches one by one: the head only at the start, the words only where one of
# their first letters is (the look-ahead)
QUESTION_HEAD = re.compile(_QUESTION_HEAD)
QUESTION_WORD = re.compile(r"(?=[parhgosm])" + _QUESTION_WORD)


@dataclass(frozen=True)
class CueEntry:
    """One `intents` entry of the lexicon: the intent, its gate words and its cues as one pattern."""

    intent: Intent
    gate: frozenset[str]  # one of these must be in the message for the cues to be tried
    pattern: re.Pattern[str]  # the entry's cues joined in one alternation


@dataclass(frozen=True)
class Cues:
    intents: tuple[CueEntry, ...]
    profiles: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    gates: tuple[str, ...]  # every entry's gate words, each once: looked for once per message


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = read_yaml(LEXICON_PATH)
    intents = []
    for e in data["intents"]:
        # one alternation per entry: a single search tells whether any of its cues is there
        whole = re.compile("|".join(f"(?:{p})" for p in e["cues"]))
        intents.append(CueEntry(Intent(e["intent"]), frozenset(str(g) for g in e.get("gate") or ()), whole))
    profiles = tuple((k, tuple(re.compile(p) for p in v)) for k, v in data["profiles"].items())
    gates = tuple(sorted({g for entry in intents for g in entry.gate}))
    return Cues(tuple(intents), profiles, gates)


def _matching(text: str) -> list[Intent]:
    """The intents whose cues match, in the lexicon's priority order (an intent once)."""
    c = cues()
    present = {g for g in c.gates if g in text}  # the gate words in the text, looked for once (not per entry)
    out: list[Intent] = []
    for entry in c.intents:
        if entry.intent in out:
            continue
        if entry.gate and present.isdisjoint(entry.gate):
            continue  # none of its gate words: its cues cannot match
        if entry.pattern.search(text):
            out.append(entry.intent)
    return out


def find_intents(text: str) -> list[Intent]:
    """Intents in priority order, those of the question's head first."""
    m = None
    for w in TAIL_WORDS:
        if w in text:
            m = TAIL_START.search(text)
            break
    head, tail = (text[: m.start()], text[m.start() :]) if m else (text, "")
    found = _matching(head)
    if tail:
        for i in _matching(tail):
            if i not in found:
                found.append(i)
    if len(found) > 1 and "?" in text:
        # a note, then its question ("81F, ..., eGFR 45. Next steps?"): what the question asks comes first
        q = QUESTION_SENTENCE.search(text)
        if q is not None and q.start() > 0:
            asked = _matching(q.group())
            if asked:
                found = asked + [i for i in found if i not in asked]
    return found


# the last sentence that ends in "?", after a sentence end (". " ";" "!" "?")
QUESTION_SENTENCE = re.compile(r"(?:(?<=[.;!?]\s)|(?<=[.;!?]))[^.;!?]*\?\W*$")


# SHOW needs "show", a "[" or one of these nouns; without any of them the search is skipped.
SHOW_GATE = ("show", "[", "source", "reference", "citation", "passage")
US_NAMED = re.compile(r"\bprofile\b|\bbhof\b|\bnof\b")
PROFILE_GATE = ("profile", "use", "switch", "apply", "change", "go", "according", "per")


def show_citation(text: str) -> int | None:
    for g in SHOW_GATE:
        if g in text:
            break
    else:
        return None
    m = SHOW.search(text)
    if m is None:
        return None
    return int(next(g for g in m.groups() if g is not None))


def profile(text: str) -> str | None:
    for g in PROFILE_GATE:
        if g in text:
            break
    else:
        return None
    if not PROFILE_ASK.search(text):
        return None
    for name, pats in cues().profiles:
        if any(p.search(text) for p in pats):
            if name == "us" and not US_NAMED.search(text):
                continue  # "use us" is too thin to switch profiles on
            return name
    return None


def is_correction(text: str) -> bool:
    # the first branch is anchored at the start; the second needs "actually" or "in fact"
    if CORRECTION.match(text) is not None:
        return True
    return ("actually" in text or "in fact" in text) and CORRECTION.search(text) is not None


RETRACT_GATE = ("forget", "ignore", "remove", "drop", "disregard", "delete", "discard", "scratch")


def retractions(text: str) -> list[str]:
    out: list[str] = []
    for g in RETRACT_GATE:
        if g in text:
            break
    else:
        return out
    for m in RETRACT.finditer(text):
        w = m.group("what")
        key = next((k for k in RETRACT_PATHS if w.startswith(k)), None)
        if key:
            out.extend(p for p in RETRACT_PATHS[key] if p not in out)
    return out


def refers_back(text: str) -> bool:
    """Does the message speak of something said before ("sorry, that fracture was from a car crash")?"""
    return is_correction(text) or REFERS_BACK.search(text) is not None


def is_question(text: str) -> bool:
    # (the same answer as QUESTION.search(text) is not None, one branch at a time)
    return "?" in text or QUESTION_HEAD.match(text) is not None or QUESTION_WORD.search(text) is not None
