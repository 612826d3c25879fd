"""Every answer the checkout gives, in one file, to check that a speed-up changed no byte.

    .venv/bin/python benchmarks/answers_dump.py OUT_DIR

Writes OUT_DIR/transcripts.txt (each turn of every `tests/transcripts/*.transcript.yaml`, replayed
through one `Conversation` per transcript: the reply as text, markdown and JSON, and the recorded
facts) and OUT_DIR/ask-<profile>.jsonl (`assistant ask --format json --batch` on the dev questions,
one file per guideline profile). Compare two dumps with `diff -r`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.conversation import PROFILES  # noqa: E402
from assistant.replay import load_transcript, run_transcript  # noqa: E402

DEV = ROOT / ".." / "shared" / "eval" / "dev.jsonl"


def dump_transcripts(out: Path) -> None:
    lines: list[str] = []
    for path in sorted((ROOT / "tests" / "transcripts").glob("*.transcript.yaml")):
        for r in run_transcript(load_transcript(path)).turns:
            reply = r.reply
            lines.append(f"=== {path.name} turn {r.index}: {reply.user!r}")
            lines.append(reply.text)
            lines.append(reply.format("markdown"))
            lines.append(reply.format("json"))
            state = reply.state.model_dump_json() if reply.state is not None else "null"
            lines.append(f"state {state} changes {reply.changes} problems {r.problems}")
    (out / "transcripts.txt").write_text("\n".join(lines), encoding="utf-8")


def dump_ask(out: Path) -> None:
    import json

    questions = [json.loads(line)["question"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(q.replace("\n", " ") for q in questions) + "\n")
    for profile in PROFILES:
        done = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "assistant"), "ask", "--format", "json", "--batch", f.name,
             "--profile", profile],
            capture_output=True, text=True, check=False,
        )
        (out / f"ask-{profile}.jsonl").write_text(done.stdout + done.stderr, encoding="utf-8")


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    dump_transcripts(out)
    dump_ask(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
