"""What a message asks for, and how it relates to the conversation (correction, removal, profile).

The cues are data (the `intents` and `profiles` sections of corpus/lexicon.yaml), compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]

from assistant.datafiles import read_yaml
from assistant.facts import Intent
from assistant.parse.lexicon import LEXICON_PATH
from assistant.parse.normalise import all_present

# The head of a question is what it asks; what follows these words lists details.
TAIL_START = re.compile(r"\b(?:including|such as|using|taking into account|e\.g\.|for example|especially)\b")
TAIL_WORDS = ("including", "such as", "using", "taking into account", "e.g.", "for example", "especially")
CORRECTION = re.compile(
    r"^\W*(?:actually|sorry|correction|oops|my (?:mistake|bad)|i meant|i mean|no\s*,|nope|wait|make (?:that|it)|"
    r"scratch that|typo|rather|i misspoke|not\s+[-\d.]+\s*,?\s*but)\b|"
    r"\b(?:is|was|are|were|'s)\s+(?:actually|in fact)\b"  # "FRAX hip is actually 3.5%"
)
RELABEL = re.compile(
    r"\b(?:that|it|this|the (?:score|value|t-?score|number))\s*(?:was|is|'s|were|should be)\s+"
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
RETRACT_PATHS = {
    "frax": ["frax"], "egfr": ["egfr"], "gfr": ["egfr"], "crcl": ["egfr"], "age": ["age"],
    "t": ["t_scores", "t_score_unsited"], "z": ["z_scores", "z_score_unsited"],
    "fracture": ["prior_fragility_fracture", "fracture_sites"], "steroid": ["glucocorticoids"],
    "prednisone": ["glucocorticoids"], "glucocorticoid": ["glucocorticoids"], "vitamin": ["vitamin_d"],
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


# One cue: groups of literal strings such that each of its matches contains a string of every group
# (None: no such strings known), and its pattern. The search of a cue is skipped when some group has
# none of its strings in the text.
CuePart = tuple[tuple[tuple[str, ...], ...] | None, re.Pattern[str]]


CueEntry = tuple[Intent, tuple[str, ...], re.Pattern[str], tuple[CuePart, ...] | None]


@dataclass(frozen=True)
class Cues:
    # (intent, gate words, all cues in one pattern, the cues one by one or None when they must stay together)
    intents: tuple[CueEntry, ...]
    profiles: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    matcher: Callable[[str], list[Intent]]  # `_matching_plain` over `intents`, as straight-line code


def _leading_literal(items: list[tuple[object, object]]) -> str:
    chars = []
    for op, av in items:
        if op is not _sre.LITERAL:
            break
        chars.append(chr(av))  # type: ignore[arg-type]
    return "".join(chars)


def _branch_strings(op: object, av: object) -> tuple[str, ...] | None:
    """The texts one of which an alternation starts with, or None."""
    if op is _sre.SUBPATTERN:
        _group, add_flags, del_flags, sub = av  # type: ignore[misc]
        sub_items = list(sub)
        if add_flags or del_flags or len(sub_items) != 1:
            return None
        op, av = sub_items[0]
    if op is not _sre.BRANCH:  # (a non-capturing group is parsed in place: its alternatives)
        return None
    out = []
    for alt in av[1]:  # type: ignore[index]
        lit = _leading_literal(list(alt))
        if not lit:
            return None
        out.append(lit)
    return tuple(out)


def required_strings(cue: str) -> tuple[tuple[str, ...], ...] | None:
    """Groups of literal strings such that every match of `cue` contains one string of each group: its
    runs of plain text and its alternations of plain-text starts, at the top level of the pattern.
    "\\b(?:which|what)\\b.{0,40}\\bdrugs?" -> (("which", "what"), ("drug",)). None when there are none."""
    try:
        parsed = _sre_parse.parse(cue)
    except re.error:  # pragma: no cover - the cue compiled already
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    groups: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, av in parsed:
        if op is _sre.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        if run:
            groups.append(("".join(run),))
            run = []
        strings = _branch_strings(op, av)
        if strings is not None:
            groups.append(strings)
    if run:
        groups.append(("".join(run),))
    return tuple(groups) or None


def _cheap_first(groups: tuple[tuple[str, ...], ...] | None) -> tuple[tuple[str, ...], ...] | None:
    """The same groups in the order that decides soonest: small groups first (a failing group is
    checked in full), short (common) strings first in each (a present one ends its group's check)."""
    if groups is None:
        return None
    return tuple(sorted((tuple(sorted(g, key=len)) for g in groups), key=len))


_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


@lru_cache(maxsize=1)
def cues() -> Cues:
    data = read_yaml(LEXICON_PATH)
    intents = []
    for e in data["intents"]:
        patterns = [str(p) for p in e["cues"]]
        # one alternation per entry: a single search tells whether any of its cues is there
        whole = re.compile("|".join(f"(?:{p})" for p in patterns))
        parts: tuple[CuePart, ...] | None = tuple((_cheap_first(required_strings(p)), re.compile(p)) for p in patterns)
        if any(_BACKREF.search(p) for p in patterns) or all(req is None for req, _ in parts):  # type: ignore[union-attr]
            parts = None  # (nothing to skip: the one search is cheaper)
        gate = tuple(sorted((str(g) for g in e.get("gate") or ()), key=len))  # short (common) words first
        intents.append((Intent(e["intent"]), gate, whole, parts))
    profiles = tuple((k, tuple(re.compile(p) for p in v)) for k, v in data["profiles"].items())
    return Cues(tuple(intents), profiles, _compile_matcher(tuple(intents)))


def _compile_matcher(entries: tuple[CueEntry, ...]) -> Callable[[str], list[Intent]]:
    """`_matching_plain` for these entries written out as one function, compiled once: every entry is an
    `if` whose gate words and cue words are `in` tests joined by `or` / `and`, so a message pays for
    its (about 150) substring tests without a Python loop around each. Same tests, same order, same
    result; tests/parse/test_intents.py compares the two."""

    def any_in(words: tuple[str, ...]) -> str:
        # a word that contains another word of the group is in the text only when that one is too: the
        # group's answer is the same without it
        needed = [w for w in words if not any(o != w and o in w for o in words)]
        return "(" + " or ".join(f"{w!r} in t" for w in needed) + ")"

    env: dict[str, object] = {}
    lines = ["def matching(t):", "    out = []"]
    for k, (intent, gate, whole, parts) in enumerate(entries):
        env[f"I{k}"] = intent
        # (an intent that no earlier entry gives is not in `out` yet: no test for it)
        tests = ([f"I{k} not in out"] if any(e[0] == intent for e in entries[:k]) else []) + (
            [any_in(gate)] if gate else [])
        lines.append(f"    if {' and '.join(tests) or 'True'}:")
        if parts is None:
            env[f"W{k}"] = whole
            lines += [f"        if W{k}.search(t):", f"            out.append(I{k})"]
            continue
        for m, (req, cue) in enumerate(parts):
            env[f"C{k}_{m}"] = cue
            tests = [any_in(group) for group in req or ()] + [f"C{k}_{m}.search(t)"]
            lines += [f"        {'elif' if m else 'if'} {' and '.join(tests)}:", f"            out.append(I{k})"]
    lines.append("    return out")
    exec(compile("\n".join(lines), "<intent cues>", "exec"), env)  # noqa: S102 - our own code, from our data
    return env["matching"]  # type: ignore[return-value]




def _matching(text: str) -> list[Intent]:
    return cues().matcher(text)


def _matching_plain(text: str) -> list[Intent]:
    """The intents whose cues match, entry by entry (what `cues().matcher` computes, as loops)."""
    out = []
    for intent, gate, pat, parts in cues().intents:
        if intent in out:
            continue
        if gate:  # (a plain loop: this runs for every entry of every message)
            for g in gate:
                if g in text:
                    break
            else:
                continue
        if parts is None:
            if pat.search(text):
                out.append(intent)
            continue
        for req, cue in parts:
            if req is not None and not all_present(req, text):
                continue  # a word every match of this cue has is absent: it cannot match
            if cue.search(text):
                out.append(intent)
                break
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
    return found


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


def is_question(text: str) -> bool:
    # (the same answer as QUESTION.search(text) is not None, one branch at a time)
    return "?" in text or QUESTION_HEAD.match(text) is not None or QUESTION_WORD.search(text) is not None
