"""What the record gave, in words: the Facts, and what was used, set aside and not used (shown on the card)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.facts import Facts, Span

SYSTEM_NAMES = {
    "http://loinc.org": "LOINC",
    "http://snomed.info/sct": "SNOMED CT",
    "http://hl7.org/fhir/sid/icd-10-cm": "ICD-10-CM",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
}


@dataclass
class Reading:
    facts: Facts = field(default_factory=Facts)
    used: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    not_used: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # a missing fact the record does hold in a form the engine cannot use: fact name -> why (shown under Missing)
    missing_why: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, list[str]]:
        return {"used": self.used, "set_aside": self.set_aside, "not_used": self.not_used, "notes": self.notes}


def span(text: str) -> Span:
    """Where a fact came from, for the facts' `sources`: the record's words, not a place in a message."""
    return Span(start=0, end=0, text=text)


def coding_name(system: str | None, code: str | None, display: str | None) -> str:
    """'LOINC 12345-6 'display'': a coding as the card shows it (the display cut to 80 characters)."""
    label = SYSTEM_NAMES.get(system or "", system or "no system")
    shown = f"{label} {code}" if code else label
    return f"{shown} '{display[:80]}'" if display else shown


def status_code(concept: Any) -> str | None:
    """The first code of a CodeableConcept (a clinical or verification status), or None."""
    if concept is None:
        return None
    for c in concept.coding or []:
        if c.code:
            return str(c.code)
    return None
