"""Files the app writes: atomic saves, the per-turn journal and the conversation exports.

Every file is written atomically (a temporary file in the same folder, then os.replace), so a crash
leaves either the old file or the new one, never half of one. The journal is appended and fsynced
turn by turn so a crash or a closed terminal loses nothing.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.atomic import atomic_write
from assistant.tui.safe_text import clean_block, escape_markdown

if TYPE_CHECKING:
    from assistant.conversation import Conversation

JOURNAL_SCHEMA = "assistant.journal/1"
EXPORT_SCHEMA = "assistant.conversation/1"
KEEP_JOURNALS = 50


def journal_dir() -> Path:
    from assistant.config import state_dir

    return state_dir() / "journal"


@dataclass
class JournalEntry:
    path: Path
    profile: str
    turns: list[str] = field(default_factory=list)
    closed: bool = False


class Journal:
    """One conversation's user turns, appended as they happen (JSON lines)."""

    def __init__(self, profile: str, path: Path | None = None) -> None:
        self.profile = profile
        self.path = path  # created lazily at the first turn, so empty sessions leave no file

    def _open_new(self) -> Path:
        folder = journal_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = folder / f"{stamp}-{os.getpid()}-{time.monotonic_ns() % 1_000_000:06d}.jsonl"
        self._append(path, {"schema": JOURNAL_SCHEMA, "profile": self.profile, "started": _now()})
        _prune(folder)
        return path

    @staticmethod
    def _append(path: Path, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            with open(path, "rb") as fh:  # after a crash mid-line, start on a fresh line
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    line = "\n" + line
        except OSError:
            pass  # a new or empty file
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())

    def record_turn(self, turn: int, user: str) -> None:
        if self.path is None:
            self.path = self._open_new()
        self._append(self.path, {"turn": turn, "user": user, "at": _now()})

    def close(self, reason: str = "closed") -> None:
        """Mark the journal as not to be offered for resuming (the user declined or started over)."""
        if self.path is not None and self.path.exists():
            self._append(self.path, {"event": reason, "at": _now()})


def read_journal(path: Path) -> JournalEntry | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    entry = JournalEntry(path=path, profile="us")
    for line in lines:
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue  # a torn last line after a crash: the turns before it still count
        if not isinstance(rec, dict):
            continue
        if rec.get("schema") == JOURNAL_SCHEMA and isinstance(rec.get("profile"), str):
            entry.profile = rec["profile"]
        elif isinstance(rec.get("user"), str):
            entry.turns.append(rec["user"])
        elif rec.get("event") in ("declined", "new_patient"):
            entry.closed = True
    return entry


def last_resumable() -> JournalEntry | None:
    """The most recent journal with at least one turn that the user has not declined or closed."""
    folder = journal_dir()
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.jsonl"), reverse=True):
        entry = read_journal(path)
        if entry is None or not entry.turns:
            continue
        return None if entry.closed else entry
    return None


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.jsonl"))
    for old in files[:-KEEP_JOURNALS]:
        try:
            old.unlink()
        except OSError:
            pass


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


# -- exports ---------------------------------------------------------------------------------------
def conversation_markdown(conv: Conversation) -> str:
    out = [f"# Conversation (profile {conv.profile})", ""]
    for reply in conv.replies:
        out.append(f"## Turn {reply.turn}")
        out.append("")
        out.append(f"**You:** {escape_markdown(reply.user)}")
        out.append("")
        if reply.answer is not None and reply.kind in ("answer", "out_of_scope"):
            out.append(clean_block(reply.answer.full_plan().markdown()).rstrip())  # the export keeps everything
        else:
            out.extend(escape_markdown(line) if line.strip() else "" for line in reply.text.rstrip().split("\n"))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def conversation_json(conv: Conversation) -> str:
    turns: list[dict[str, Any]] = []
    for reply in conv.replies:
        item: dict[str, Any] = {
            "turn": reply.turn,
            "user": reply.user,
            "kind": reply.kind,
            "hypothetical": reply.hypothetical,
            "changes": list(reply.changes),
            "text": reply.text,
        }
        if reply.answer is not None and reply.kind in ("answer", "out_of_scope"):
            item["answer"] = reply.answer.as_dict()
        turns.append(item)
    payload = {"schema": EXPORT_SCHEMA, "profile": conv.profile, "turns": turns}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def export_conversation(conv: Conversation, stem: str | Path, date: str | None = None) -> Sequence[Path]:
    """Write <stem>.md, <stem>.json and <stem>.html (the one-patient handout, dated `date` or today);
    returns the three paths."""
    from assistant.handout import render_handout

    base = Path(stem).expanduser()
    if base.suffix in (".md", ".json", ".html"):
        base = base.with_suffix("")
    md = atomic_write(base.with_name(base.name + ".md"), conversation_markdown(conv))
    js = atomic_write(base.with_name(base.name + ".json"), conversation_json(conv))
    page = atomic_write(base.with_name(base.name + ".html"), render_handout(conv, date=date))
    return (md, js, page)
