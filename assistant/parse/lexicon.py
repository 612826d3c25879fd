"""Concept look-up: lexicon terms found in the tokens, exact first, then small typos.

The lexicon lives in corpus/lexicon.yaml. It is read once; the exact index (token tuples ->
concept) and the fuzzy vocabulary (lexicon words by length) are built once. Matching:

1. Every token whose key is not a lexicon word, has at least `FUZZY_MIN_LEN` letters and is not a
   common English word is corrected to the closest lexicon word by `fuzz.ratio` when the score
   reaches the cutoff for its length (never WRatio: it scores partial matches).
2. The longest lexicon term starting at each token is taken, left to right, without overlaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from assistant.datafiles import corpus_file, read_yaml
from assistant.parse.normalise import Token, stem, tokenize

LEXICON_PATH = corpus_file("lexicon.yaml")  # in a checkout or in the installed package

FUZZY_MIN_LEN = 5  # shorter words (and all abbreviations) only ever match exactly
# fuzz.ratio cutoff by word length: one edit in a short word is a bigger change.
FUZZY_CUTOFFS: tuple[tuple[int, float], ...] = ((6, 90.0), (7, 85.0), (99, 82.0))

# Common words that look like lexicon words but are not typos of them.
NOT_TYPOS = frozenset(
    """patient patients treatment treatments therapy recommended recommendation management manage
    managing appropriate options option should which their there where would could about after
    before other others between within without history family mother father sister brother
    months month years weeks daily started starting stopped taking current currently previous
    previously following presenting indicated indicating including include level levels lowest
    highest normal further adults adult women woman female females males elderly older young
    younger dose doses dosing hospital hospitalized hospitalised scan scans score scores result
    results report reports change changes course action first second third given since still
    concern concerned repeat repeated repeating interval long continue switch stop stopping
    start risk risks factor factors prior fragile vitamin calcium serum kidney renal clearance
    medication medications medicine drug drugs injection injections infusion infusions holiday
    guideline guidelines source sources summary plan compare postmenopausal premenopausal
    perimenopausal menopause menopausal rationale reason reasons explain increase decrease
    improve improved improving initial alternative alternatives crushing crushed crush""".split()
)


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    category: str
    condition: str | None = None
    dxa: str | None = None
    fracture: str | None = None
    kind: str | None = None
    negative: bool = False
    also: tuple[str, ...] = ()  # further condition keys the term implies


class Match(NamedTuple):  # a tuple: cheaper to make than a frozen dataclass, one per concept found
    concept: Concept
    i: int  # first token
    j: int  # one past the last token
    start: int  # char offsets in the normalised text
    end: int
    fuzzy: bool = False


@dataclass
class Lexicon:
    index: dict[tuple[str, ...], Concept] = field(default_factory=dict)
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)  # first key -> term lengths (desc)
    vocab: frozenset[str] = frozenset()
    known: frozenset[str] = frozenset()  # vocab | NOT_TYPOS: keys never corrected (one look-up)
    by_length: dict[int, list[str]] = field(default_factory=dict)
    # word length -> the candidate words of lengths n-1, n, n+1, n-2, n+2, in that order (one fuzzy search)
    near_length: dict[int, list[str]] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)


def _cutoff(n: int) -> float:
    for limit, cutoff in FUZZY_CUTOFFS:
        if n <= limit:
            return cutoff
    return FUZZY_CUTOFFS[-1][1]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = read_yaml(LEXICON_PATH)
    lex = Lexicon()
    lengths: dict[str, set[int]] = {}
    words: set[str] = set()
    for entry in data["concepts"]:
        concept = Concept(
            id=entry["id"],
            category=entry["category"],
            condition=entry.get("condition"),
            dxa=entry.get("dxa"),
            fracture=entry.get("fracture"),
            kind=entry.get("kind"),
            negative=bool(entry.get("negative", False)),
            also=tuple(str(c) for c in entry.get("also") or ()),
        )
        lex.concepts[concept.id] = concept
        for term in list(entry.get("synonyms", [])) + list(entry.get("brands", [])):
            key = tuple(t.key for t in tokenize(str(term).lower()))
            if not key:
                continue
            lex.index.setdefault(key, concept)
            lengths.setdefault(key[0], set()).add(len(key))
            words.update(k for k in key if k.isalpha())
    lex.lengths = {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}
    lex.vocab = frozenset(words)
    lex.known = lex.vocab | NOT_TYPOS
    for w in sorted(words):
        if len(w) >= FUZZY_MIN_LEN:
            lex.by_length.setdefault(len(w), []).append(w)
    longest = max(lex.by_length, default=0) + 2
    for n in range(FUZZY_MIN_LEN, longest + 1):
        lex.near_length[n] = [w for m in (n - 1, n, n + 1, n - 2, n + 2) for w in lex.by_length.get(m, ())]
    return lex


@lru_cache(maxsize=4096)
def correct(word: str) -> str | None:
    """The lexicon word a (longer, unknown) word is a typo of, or None."""
    lex = lexicon()
    n = len(word)
    choices = lex.near_length.get(n)
    if not choices:
        return None
    from rapidfuzz import fuzz, process  # on the first unknown word: a message without one never loads it

    # one search over the nearby lengths in order: the first best wins ties, as length by length did
    hit = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=_cutoff(n))
    return hit[0] if hit is not None else None


def keys_for(tokens: list[Token]) -> tuple[list[str], list[bool]]:
    """Lexicon keys of the tokens, typos corrected; and which were corrected."""
    lex = lexicon()
    known = lex.known
    keys: list[str] = []
    fixed: list[bool] = []
    for t in tokens:
        k = t.key
        if k in known or len(k) < FUZZY_MIN_LEN or not k.isalpha() or t.text in NOT_TYPOS:
            keys.append(k)
            fixed.append(False)
            continue
        c = correct(k)
        if c is None:
            keys.append(k)
            fixed.append(False)
        else:
            keys.append(c)
            fixed.append(True)
    return keys, fixed


def find_concepts(tokens: list[Token]) -> list[Match]:
    """Longest non-overlapping lexicon matches, left to right."""
    lex = lexicon()
    keys, fixed = keys_for(tokens)
    out: list[Match] = []
    i, n = 0, len(tokens)
    index, lengths = lex.index, lex.lengths
    while i < n:
        options = lengths.get(keys[i])
        hit = None
        if options:
            for length in options:
                if i + length <= n:
                    concept = index.get(tuple(keys[i : i + length]))
                    if concept is not None:
                        hit = (concept, length)
                        break
        if hit is None:
            i += 1
            continue
        concept, length = hit
        j = i + length
        out.append(Match(concept, i, j, tokens[i].start, tokens[j - 1].end, any(fixed[i:j])))
        i = j
    return out


__all__ = ["Concept", "Match", "find_concepts", "lexicon", "stem", "correct"]


@lru_cache(maxsize=1)
def score_categories() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(condition, pattern) pairs: WHO categories written as score ranges ("T-score between -1 and -2.5")."""
    return tuple((str(e["condition"]), re.compile(str(e["pattern"])))
                 for e in read_yaml(LEXICON_PATH).get("score_categories") or ())


@lru_cache(maxsize=1)
def condition_vocabulary() -> dict[str, str]:
    """The closed set of condition keys, each with the plain words the answers use for it."""
    return {str(k): str(v) for k, v in (read_yaml(LEXICON_PATH).get("condition_vocabulary") or {}).items()}
