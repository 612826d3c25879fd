"""What the readers hand to the builder: a value for a field path, with where it was said."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Found:
    """One fact read from the text. `start`/`end` index the normalised text (= original offsets).

    policy: "single" (two different values -> Contradiction), "lowest" (several values: the lowest
    is used, with a Note), "highest" (the highest is used, with a Note).
    """

    path: str
    value: object
    start: int
    end: int
    policy: str = "single"
    detail: str | None = None
    unsigned: bool = False  # a positive score written without "+" (the minus may have been lost)


@dataclass(slots=True)
class Doubt:
    """A value read but not trusted: becomes a Question."""

    path: str
    value: str
    reason: str
    start: int
    end: int


@dataclass
class Reading:
    """Everything the readers found (each reader adds to the Reading it is given, or to a new one)."""

    found: list[Found] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    consumed: list[tuple[int, int]] = field(default_factory=list)  # char ranges other readers skip
    notes: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (kind, field, values)
    extra_mentions: list[tuple[str, str, int, int, str | None]] = field(default_factory=list)
    labels: list[tuple[int, int]] = field(default_factory=list)  # FRAX labels: their site words are no sites

    def extend(self, other: Reading) -> None:
        self.found.extend(other.found)
        self.doubts.extend(other.doubts)
        self.consumed.extend(other.consumed)
        self.notes.extend(other.notes)
        self.extra_mentions.extend(other.extra_mentions)
        self.labels.extend(other.labels)
