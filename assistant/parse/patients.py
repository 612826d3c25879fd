"""Two patients in one message ("Patient A: 64F ... Patient B: 71M ..."): where the second begins.

The assistant answers for one patient at a time; the facts after this point are set aside and the
"Read as" line says so, rather than mixing two people's numbers into one assessment.
"""

from __future__ import annotations

import re

SET_ASIDE = "a second patient: please ask about one patient at a time"
# "Patient B:", "pt 2)", "case two -", "the second patient", "another patient", "2nd pt"
SECOND_MARK = re.compile(
    r"\b(?:patient|pt|case)\s*(?:#\s*)?(?:b|2|two)\b\s*(?=[:.)\-,]|is\b|has\b)|"
    r"\b(?:the\s+)?(?:second|2nd|other|another)\s+(?:patient|pt|case|one\s+is|one\s+has)\b"
)
SECOND_GATE = ("patient", "pt", "case", "second", "2nd", "other")
# "two patients: 64F ..., and 71M ...": the second patient starts at the second age
SEVERAL = re.compile(r"\b(?:two|2|both|each\s+of\s+(?:these|the)\s+two)\s+(?:patients|pts|women|men|cases)\b")


def second_patient(text: str, age_starts: list[int]) -> int | None:
    """Where a second patient begins in the (normalised) text, or None when the message is about one."""
    for g in SECOND_GATE:
        if g in text:
            m = SECOND_MARK.search(text)
            if m is not None and m.start() > 0 and age_starts and min(age_starts) < m.start():
                return m.start()
            break
    if len(age_starts) >= 2 and SEVERAL.search(text):
        return sorted(age_starts)[1]
    return None
