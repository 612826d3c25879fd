"""A plain line-by-line chat for terminals without the app (or piped input)."""

from __future__ import annotations

import sys

from assistant.conversation import Conversation

BANNER = "Guideline assistant (bone health). Type a question; 'why?', 'sources', 'new patient', 'quit' to leave.\n"


def run_plain_chat(profile: str = "us", transcript: str | None = None) -> int:
    conv = Conversation(profile=profile)
    out = sys.stdout
    interactive = sys.stdin.isatty()
    if interactive:
        out.write(BANNER)
    while True:
        if interactive:
            out.write("\n> ")
            out.flush()
        line = sys.stdin.readline()
        if not line:
            break
        text = line.rstrip("\n")
        if text.strip().lower() in ("quit", "exit", ":q"):
            break
        if not text.strip():
            continue
        out.write(conv.ask(text).text + "\n")
        out.flush()
    if transcript:
        from assistant.replay import save_transcript

        save_transcript(conv, transcript)
    return 0
