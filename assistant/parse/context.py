"""ConText-style context: is a mention the patient's, negated, a relative's, past or hypothetical?

Triggers are data (corpus/context.yaml). A trigger modifies the concepts inside its scope: the
tokens after it (forward), before it (backward) or both, up to a number of tokens, the clause end
or the sentence end. Scopes stop at the end of a sentence and at TERMINATE words (unless the
word spares the trigger's category: "mother with hip fx"), and a scope of a number of tokens
also at a comma or "and" that opens a new clause (followed by another trigger or by a new
subject: "no prior fracture, her mother broke her hip"); PSEUDO phrases hide the trigger words
inside them. Each scope is found by walking from its trigger, never past its own limit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from assistant.datafiles import corpus_file, read_yaml
from assistant.facts import Status
from assistant.parse.normalise import Token, tokenize

CONTEXT_PATH = corpus_file("context.yaml")  # in a checkout or in the installed package

# Status members read once (an enum member look-up costs ~100 ns on Python 3.11)
AFFIRMED, FAMILY, HISTORICAL = Status.AFFIRMED, Status.FAMILY, Status.HISTORICAL
HYPOTHETICAL, NEGATED = Status.HYPOTHETICAL, Status.NEGATED
CATEGORIES = ("NEGATED", "FAMILY", "HISTORICAL", "HYPOTHETICAL", "RISK", "QUESTION", "TOPIC", "WITHDRAWN",
              "TRAUMATIC", "FRAGILITY", "CHILDHOOD", "PSEUDO", "TERMINATE")
# Categories that say a mention is not the patient's present fact, and why (a risk, a question, a topic):
# each gives the status HYPOTHETICAL; the reason is kept for the "Read as" line.
NOT_A_FACT = frozenset({"HYPOTHETICAL", "RISK", "QUESTION", "TOPIC", "WITHDRAWN"})
# Categories that say how a fracture happened: they change no status, only the fracture's mechanism.
MECHANISM = frozenset({"TRAUMATIC", "FRAGILITY", "CHILDHOOD"})
SENTENCE_END = frozenset({".", "?", "!", ";"})
CLAUSE_END = SENTENCE_END | {",", ":"}
BREAK_WORDS = frozenset({",", "and", "&", "-", "*", "\u2022", "|"})  # may open a new clause (see _clause_breaks;
# a dash, star, bullet or bar is a list item's mark: "FRAX 12% / 1.9% hip - no prior fractures")


@dataclass(frozen=True, slots=True)
class Rule:
    literal: str
    category: str
    direction: str  # forward | backward | bidirectional
    scope: int | str  # tokens, "clause" or "sentence"
    whatif: bool = False
    parent: bool = False
    spares: frozenset[str] = frozenset()  # TERMINATE only: categories whose scopes go on through it
    whatif_when: frozenset[str] = frozenset()  # a what-if only when one of these words is in its scope
    spare_concepts: frozenset[str] = frozenset()  # lexicon concepts this trigger leaves as they are


class Trigger(NamedTuple):
    rule: Rule
    i: int
    j: int


class Region(NamedTuple):
    """Tokens [start, end) modified by a trigger."""

    rule: Rule
    start: int
    end: int
    trigger: int = -1  # token where the trigger starts


@dataclass
class Rules:
    index: dict[tuple[str, ...], Rule]
    lengths: dict[str, tuple[int, ...]]
    openers: frozenset[str] = frozenset()  # words that, after a comma, open a new clause


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = read_yaml(CONTEXT_PATH)
    index: dict[tuple[str, ...], Rule] = {}
    lengths: dict[str, set[int]] = {}
    for entry in data["rules"]:
        if entry["category"] not in CATEGORIES:
            raise ValueError(f"context.yaml: unknown category {entry['category']!r}")
        rule = Rule(
            literal=str(entry["literal"]),
            category=entry["category"],
            direction=entry.get("direction", "forward"),
            scope=entry.get("scope", 5),
            whatif=bool(entry.get("whatif", False)),
            parent=bool(entry.get("parent", False)),
            spares=frozenset(entry.get("spares") or ()),
            whatif_when=frozenset(str(w).lower() for w in entry.get("whatif_when") or ()),
            spare_concepts=frozenset(str(c) for c in entry.get("spare_concepts") or ()),
        )
        key = tuple(t.key for t in tokenize(rule.literal.lower()))
        index[key] = rule
        lengths.setdefault(key[0], set()).add(len(key))
    openers = frozenset(str(w).lower() for w in data.get("clause_openers") or ())
    return Rules(index, {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}, openers)


def find_triggers(tokens: list[Token]) -> list[Trigger]:
    r = rules()
    lengths, index = r.lengths, r.index
    out: list[Trigger] = []
    keys = [t.key for t in tokens]
    i, n = 0, len(tokens)
    while i < n:
        options = lengths.get(keys[i])
        if not options:
            i += 1
            continue
        hits: list[Trigger] = []
        for length in options:  # longest first
            if i + length <= n:
                rule = index.get(tuple(keys[i : i + length]))
                if rule is None:
                    continue
                # a shorter trigger at the same place counts only if it looks the other way
                # ("risk of" forward and "risk" backward in "fracture risk of 4.8%")
                if not hits or (hits[0].rule.category != "PSEUDO"
                                and all(h.rule.direction != rule.direction for h in hits)):
                    hits.append(Trigger(rule, i, i + length))
        if not hits:
            i += 1
            continue
        out.extend(hits)
        i = hits[0].j
    return out


@dataclass
class Context:
    tokens: list[Token]
    triggers: list[Trigger]
    regions: list[Region]

    def modifiers(self, i: int, j: int, concept: str | None = None) -> list[Rule]:
        """Rules whose scope covers the mention of tokens [i, j) (of this lexicon concept, when given)."""
        out = []
        for reg in self.regions:
            if (reg.start <= i < reg.end or reg.start < j <= reg.end) and not i <= reg.trigger < j:
                # (a trigger inside the mention is part of its name: "parental hip fracture")
                if concept is None or concept not in reg.rule.spare_concepts:
                    out.append(reg.rule)
        return out

    def status(self, i: int, j: int, concept: str | None = None) -> tuple[Status, bool, bool, bool]:
        """(status, negated, whatif, parent) of the mention of tokens [i, j).

        A what-if is reported apart (the facts go to the hypothetical); the status is then the
        status inside the what-if ("what if she had no fracture" -> negated, whatif).
        """
        if not self.regions:
            return AFFIRMED, False, False, False  # nothing modifies any mention
        mods = self.modifiers(i, j, concept)
        whatif = any(m.whatif for m in mods)
        cats = {m.category for m in mods if not m.whatif}
        negated = "NEGATED" in cats
        parent = any(m.parent for m in mods)
        if "FAMILY" in cats:
            status = FAMILY
        elif not NOT_A_FACT.isdisjoint(cats):
            status = HYPOTHETICAL
        elif negated:
            status = NEGATED
        elif "HISTORICAL" in cats:
            status = HISTORICAL
        else:
            status = AFFIRMED
        return status, negated, whatif, parent

    def why(self, i: int, j: int, concept: str | None = None) -> str | None:
        """Why a mention is not the patient's fact, in the trigger's terms: "negated", "family", "risk",
        "question", "topic", "hypothetical", "what-if", "historical"; None when nothing modifies it."""
        mods = self.modifiers(i, j, concept) if self.regions else []
        if any(m.whatif for m in mods):
            return "what-if"
        cats = {m.category for m in mods}
        for cat in ("WITHDRAWN", "FAMILY", "QUESTION", "RISK", "TOPIC", "HYPOTHETICAL", "NEGATED", "HISTORICAL"):
            if cat in cats:
                return cat.lower()
        return None

    def mechanism(self, i: int, j: int) -> str | None:
        """How the fracture of tokens [i, j) happened, as its context says: "fragility" (a fall from
        standing height, no trauma), "traumatic" (a car crash, a fall from a roof) or None (not said).
        Fragility words win over traumatic ones in the same scope ("minor trauma")."""
        kinds = {reg.rule.category for reg in self.regions
                 if reg.rule.category in MECHANISM and (reg.start <= i < reg.end or reg.start < j <= reg.end)}
        if "CHILDHOOD" in kinds:
            return "childhood"  # (FRAX counts a fragility fracture in adult life)
        if "FRAGILITY" in kinds:
            return "fragility"
        return "traumatic" if kinds else None

    def whatif_chars(self) -> list[tuple[int, int]]:
        """Character ranges (normalised text) of what-if scopes."""
        out = []
        for reg in self.regions:
            if reg.rule.whatif and reg.end > reg.start:
                out.append((self.tokens[reg.start].start, self.tokens[reg.end - 1].end))
        return out


@lru_cache(maxsize=64)
def _not_whatif(rule: Rule) -> Rule:
    return replace(rule, whatif=False, whatif_when=frozenset())


def _clause_breaks(tokens: list[Token], triggers: list[Trigger]) -> set[int]:
    """Commas that open a new clause: followed by a trigger ("no fracture, mother broke her hip") or
    by a new subject ("no fracture, she smokes"). A list after a trigger ("denies smoking, alcohol
    or falls") has no such comma, so the trigger still reaches all of it."""
    starts = {t.i for t in triggers}
    openers = rules().openers
    last = len(tokens) - 1
    return {
        k for k, tok in enumerate(tokens)
        if tok.text in BREAK_WORDS and k < last and (k + 1 in starts or tokens[k + 1].text in openers)
        and (tok.text != "-" or (tokens[k + 1].start > tok.end and (k == 0 or tokens[k - 1].end < tok.start)))
    }  # (a dash breaks only with spaces round it: a list's dash, not "steroid-naive")


_NO_SCOPE = frozenset({"PSEUDO", "TERMINATE"})
_NOTHING: frozenset[str] = frozenset()


def analyse(tokens: list[Token]) -> Context:
    triggers = find_triggers(tokens)
    for t in triggers:
        if t.rule.category not in _NO_SCOPE:
            break
    else:
        return Context(tokens, triggers, [])  # no trigger with a scope: nothing is modified
    n = len(tokens)
    texts = [t.text for t in tokens]
    breaks = _clause_breaks(tokens, triggers)
    # where scopes end: TERMINATE triggers (their first token looking forward, their last looking back)
    # and clause-opening commas
    term_at = {t.i for t in triggers if t.rule.category == "TERMINATE"} | breaks
    term_end = {t.j - 1 for t in triggers if t.rule.category == "TERMINATE"} | breaks
    # terminations some categories go through ("mother with hip fx": "with" does not end FAMILY)
    spared_at = {t.i: t.rule.spares for t in triggers if t.rule.spares}
    spared_end = {t.j - 1: t.rule.spares for t in triggers if t.rule.spares}

    # Each scope's end is found by walking from the trigger, never past the scope's own limit (no table
    # over the whole message: a message has few triggers and their scopes are short).
    def next_in(k: int, stop: int, ends: frozenset[str] | set[str], marks: set[int]) -> int:
        """First position in [k, stop) whose token is in `ends` or which is in `marks`; else stop."""
        while k < stop:
            if texts[k] in ends or k in marks:
                return k
            k += 1
        return stop

    def prev_in(k: int, stop: int, ends: frozenset[str] | set[str], marks: set[int]) -> int:
        """Last position in [stop, k] whose token is in `ends` or which is in `marks`; else stop - 1."""
        while k >= stop:
            if texts[k] in ends or k in marks:
                return k
            k -= 1
        return stop - 1

    none: set[int] = set()
    regions: list[Region] = []
    for t in triggers:
        rule = t.rule
        if rule.category in ("PSEUDO", "TERMINATE"):
            continue
        scope = rule.scope
        ends, marks = term_at, term_end
        if rule.category in MECHANISM:
            # how a fracture happened reaches across a comma or "with" ("clavicle fracture, bicycle accident")
            ends = marks = none
        if rule.direction in ("forward", "bidirectional"):
            s = t.j
            if scope == "sentence":
                e = next_in(s, n, SENTENCE_END, none)
            elif scope == "clause":
                e = next_in(s, n, CLAUSE_END, term_at)
            else:
                limit = next_in(s, min(s + int(scope), n), SENTENCE_END, none)
                e = next_in(s, limit, _NOTHING, ends)
                while e < limit and rule.category in spared_at.get(e, ()):
                    e = next_in(e + 1, limit, _NOTHING, ends)
            if e > s:
                if rule.whatif_when and not any(tokens[k].text in rule.whatif_when for k in range(s, e)):
                    rule = _not_whatif(rule)  # "if she has CKD": a condition, not a what-if ("if she had ...")
                regions.append(Region(rule, s, e, t.i))
        if rule.direction in ("backward", "bidirectional") and t.i > 0:
            e = t.i
            k = e - 1
            if scope == "sentence":
                s = prev_in(k, 0, SENTENCE_END, none) + 1
            elif scope == "clause":
                s = prev_in(k, 0, CLAUSE_END, term_end) + 1
            else:
                low = max(e - int(scope), 0)
                low = prev_in(k, low, SENTENCE_END, none) + 1
                p = prev_in(k, low, _NOTHING, marks)
                while p >= low and rule.category in spared_end.get(p, ()):
                    p = prev_in(p - 1, low, _NOTHING, marks)
                s = max(low, p + 1)
            if e > s:
                regions.append(Region(rule, s, e, t.i))
    return Context(tokens, triggers, regions)
