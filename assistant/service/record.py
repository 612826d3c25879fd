"""`assistant ask --fhir BUNDLE.json`: a FHIR record answered in any output format, through the same
mapping and engine as the CDS Hooks service (and so the same decision as the chat for the same patient)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.conversation import Reply
from assistant.corpus import Corpus, default_corpus
from assistant.facts import Facts
from assistant.service.fhir_facts import FhirError, Reading, parse_resources, read_record
from assistant.service.hook import RECORD_QUESTION, record_answer

MAX_FILE_BYTES = 20 * 1024 * 1024


def load_record(path: str) -> Any:
    """The JSON of a FHIR file ('-' for standard input). Raises OSError, ValueError (FhirError)."""
    import sys

    if path == "-":
        text = sys.stdin.read(MAX_FILE_BYTES + 1)
    else:
        p = Path(path)
        if p.stat().st_size > MAX_FILE_BYTES:
            raise FhirError(f"{path} is over {MAX_FILE_BYTES // (1024 * 1024)} MB")
        text = p.read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise FhirError("not JSON") from None


def _read_as(reading: Reading) -> list[str]:
    lines: list[str] = []
    for title, items in (
        ("From the record", reading.used),
        ("Set aside (not used)", reading.set_aside),
        ("Not used (not known to this service)", reading.not_used),
        ("Notes", reading.notes),
    ):
        if items:
            lines.append(f"{title}:")
            lines.extend(f"  - {i}" for i in items)
    return lines


@dataclass
class RecordConversation:
    """A record answered as a one-turn conversation, for the HTML handout (which reads a conversation)."""

    replies: list[Reply]
    facts: Facts
    profile: str
    corpus: Corpus


def _handout(reading: Reading, answer: Any, profile: str, date: str | None) -> str:
    from assistant.handout import render_handout

    reply = Reply(turn=1, user=answer.question, kind="answer", answer=answer, text=answer.text())
    conv = RecordConversation([reply], reading.facts, profile, answer.corpus or default_corpus())
    return render_handout(conv, date=date)  # type: ignore[arg-type] - it reads only these four attributes


def record_reply(
    data: Any, profile: str, fmt: str = "text", today: dt.date | None = None, date: str | None = None
) -> str:
    """The answer for a FHIR record (a Bundle, a resource, a list of them, or a saved CDS Hooks request with
    its prefetch) in `fmt`."""
    if isinstance(data, dict) and "resourceType" not in data and isinstance(data.get("prefetch"), dict):
        from assistant.service.hook import HookError, resources_of

        try:  # a saved CDS Hooks request: its prefetch is the record
            resources = resources_of(data["prefetch"])
        except HookError as exc:
            raise FhirError(str(exc)) from None
    else:
        resources = parse_resources(data)
    reading = read_record(resources, today=today)
    answer = record_answer(reading, profile, RECORD_QUESTION)
    if fmt == "html":
        return _handout(reading, answer, profile, date)
    if fmt in ("json", "jsonl"):
        payload = answer.as_dict()
        payload["fhir"] = reading.as_dict()
        return json.dumps(payload, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        block = "\n".join(line if line.endswith(":") else line.replace("  - ", "- ", 1) for line in _read_as(reading))
        return block.replace(":\n", ":\n\n") + "\n\n" + answer.markdown()
    return "\n".join(_read_as(reading)) + "\n\n" + answer.text()
