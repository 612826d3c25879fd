"""The conversation's log: one typed event per thing a user turn did (see assistant.conversation).

The patient's facts are the fold of these events (assistant.conversation_fold.fold).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from assistant.facts import Facts


class EventKind(StrEnum):
    SAID = "said"
    ASSERTED = "asserted"
    CORRECTED = "corrected"
    RETRACTED = "retracted"
    RELABELLED = "relabelled"
    WHAT_IF = "what_if"
    RESET = "reset"
    PROFILE = "profile"


@dataclass(frozen=True)
class Event:
    """One entry of the log. `facts` for asserted/corrected/what-if, `fields` for retracted,
    `fields=(from_path,)` and `value=to_path` for relabelled, `value` for profile."""

    kind: EventKind
    turn: int
    text: str = ""
    facts: Facts | None = None
    fields: tuple[str, ...] = ()
    value: str | None = None
