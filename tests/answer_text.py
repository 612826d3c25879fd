"""Reading a rendered answer as a clinician does: the "Read as" line first, then the direct answer."""

from __future__ import annotations

READ_AS = "Read as:"


def after_read_as(text: str) -> str:
    """The answer from its direct answer on: the opening "Read as: ..." line (issue 15) left out."""
    first, _, rest = text.lstrip().partition("\n")
    return rest.lstrip("\n") if first.startswith(READ_AS) else text.lstrip()
