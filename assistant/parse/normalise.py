"""Unicode clean-up that keeps every character where it was.

The parser reads a lower-cased copy of the message in which every dash that can mean "minus" is
"-", every odd space is " " and every control character is " ". The copy has the same length as
the original in all but exotic cases (a few letters whose lower case is two characters), so a
span found in the copy is a span of the original; `Norm.span` maps it back either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from assistant.facts import Span

# Dashes and hyphens that clinicians (and their word processors) put before a number.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2796\ufe58\ufe63\uff0d\u00ad"
# Spaces other than " ": no-break, figure, thin, narrow no-break, ideographic, zero-width.
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'}
OTHER = {"\u2264": "\u2264", "\u2265": "\u2265", "\u00b2": "2", "\u2044": "/", "\u2215": "/", "\u00b5": "u"}


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for ch in DASHES:
        table[ord(ch)] = "-"
    for ch in SPACES + ZERO_WIDTH:
        table[ord(ch)] = " "
    for src, dst in {**QUOTES, **OTHER}.items():
        table[ord(src)] = dst
    # C0 and C1 control characters (tab and newline included) become spaces.
    for code in list(range(0, 32)) + [127] + list(range(128, 160)):
        table[code] = " "
    # Printable ASCII stays itself, said in the table: `str.translate` pays an exception for every
    # character it does not find (about 3x the cost of a message's translation).
    for code in range(32, 127):
        table.setdefault(code, chr(code))
    return table


TABLE = _table()
_NEEDS_TABLE = re.compile("[^\x20-\x7e]")


@dataclass(slots=True)
class Norm:
    """The original text, its normalised lower-case copy, and (when lengths differ) the offsets.
    (Never changed once made; not `frozen=True`, which costs a call per field, one Norm per message.)"""

    original: str
    text: str
    offsets: tuple[int, ...] | None = None  # offsets[i] = index in original of text[i]; None = identity

    def orig(self, i: int) -> int:
        """Index into the original of position i of the normalised text (i may equal len(text))."""
        if self.offsets is None:
            return i
        if i >= len(self.offsets):
            return len(self.original)
        return self.offsets[i]

    def span(self, start: int, end: int) -> Span:
        if self.offsets is None:
            return Span(start=start, end=end, text=self.original[start:end])
        s, e = self.orig(start), self.orig(end)
        return Span(start=s, end=e, text=self.original[s:e])


# A decimal comma ("FN -2,1", "FRAX 8,5 / 0,9"): one or two digits, a comma, one or two digits, nothing
# attached either side (not "1,200", "L1,2", "1,2,3"). Read as a point; the length stays the same.
_DECIMAL_COMMA = re.compile(r"(?<![\w.,])(\d{1,2}),(?=\d{1,2}(?![\d]|,\d|\.\d))")


_MIDDLE_DOT = re.compile(r"(?<=\d)\u00b7(?=\d)")  # "-2\u00b76": a decimal point written as a middle dot


def _points(low: str) -> str:
    if "\u00b7" in low:
        low = _MIDDLE_DOT.sub(".", low)
    return _DECIMAL_COMMA.sub(r"\1.", low) if "," in low else low


def normalise(text: str) -> Norm:
    """Normalise dashes, spaces, quotes, control characters and decimal commas; lower-case; keep the offsets."""
    if not _NEEDS_TABLE.search(text):
        return Norm(original=text, text=_points(text.lower()))
    mapped = text.translate(TABLE)
    low = _points(mapped.lower())
    if len(low) == len(text):
        return Norm(original=text, text=low)
    # Rare: a character whose lower case is longer (e.g. "İ"). Map char by char.
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(mapped):
        piece = ch.lower()
        out.append(piece)
        offsets.extend([i] * len(piece))
    return Norm(original=text, text="".join(out), offsets=tuple(offsets))


TOKEN = re.compile(r"\w+(?:\.\d+)?|[^\w\s]")


class Token(NamedTuple):  # a tuple: the cheapest object to make, one per word of every message
    start: int
    end: int
    text: str
    key: str  # the form used for lexicon look-up (plural "s" dropped)


def stem(word: str) -> str:
    """The lexicon key of a word: a plural "s" dropped ("fractures" -> "fracture")."""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_STEMS: dict[str, str] = {}
_STEMS_MAX = 50_000  # bounded memo of word -> key


def forget_stems() -> None:
    """Empty the word -> key memo (benchmarks time a first replay with it empty)."""
    _STEMS.clear()


_new_tuple = tuple.__new__


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    append = out.append
    stems = _STEMS
    new = _new_tuple
    find = text.find
    e = 0
    # Only spaces lie between two tokens (every other character is a token or in one), so a token starts
    # where its text is first found after the previous token: cheaper than a match object per token.
    for w in TOKEN.findall(text):
        k = stems.get(w)
        if k is None:
            k = stem(w)
            if len(stems) < _STEMS_MAX:
                stems[w] = k
        s = find(w, e)
        e = s + len(w)
        append(new(Token, (s, e, w, k)))  # (tuple.__new__: a C call, no Python frame per token)
    return out


def all_present(groups: tuple[tuple[str, ...], ...], text: str) -> bool:
    """Is a string of every group in the text? (plain loops: this gates patterns for every message)"""
    for group in groups:
        for g in group:
            if g in text:
                break
        else:
            return False
    return True
