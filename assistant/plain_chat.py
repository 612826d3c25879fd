"""A plain line-by-line chat for terminals without the app (or piped input).

At a terminal the prompt has line editing and history (readline, where the platform has it) and
answers are wrapped to the terminal's width, bullets with a hanging indent. Piped input and output
stay exactly as the answers are (no prompt, no wrapping).
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap

from assistant.conversation import Conversation

BANNER = "Guideline assistant (bone health). Type a question; 'why?', 'sources', 'new patient', 'quit' to leave.\n"
_LEAD = re.compile(r"^(\s*(?:[*\-•]|\[\d+\]|\d+\.)\s+|\s+)")


def wrap(text: str, width: int) -> str:
    """Each line wrapped to `width`, continuation lines indented under the text of a bullet."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        m = _LEAD.match(line)
        lead = m.group(1) if m else ""
        out.extend(
            textwrap.wrap(
                line,
                width=width,
                subsequent_indent=" " * len(lead),
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [line]
        )
    return "\n".join(out)


def _line_editing() -> bool:
    """Turn on readline's line editing and history for input(); False where it is not available."""
    try:
        import readline  # noqa: F401  (importing it is what enables editing and history for input())
    except ImportError:
        return False
    return True


def run_plain_chat(profile: str = "us", transcript: str | None = None) -> int:
    conv = Conversation(profile=profile)
    out = sys.stdout
    interactive = sys.stdin.isatty()
    wrapped = interactive and out.isatty()
    if interactive:
        _line_editing()
        out.write(BANNER)
    while True:
        if interactive:
            try:
                line = input("\n> ")
            except EOFError:
                break
            except KeyboardInterrupt:
                out.write("\n")
                break
        else:
            line = sys.stdin.readline()
            if not line:
                break
        text = line.rstrip("\n")
        if text.strip().lower() in ("quit", "exit", ":q"):
            break
        if not text.strip():
            continue
        answer = conv.ask(text).text
        if wrapped:
            answer = wrap(answer, max(40, shutil.get_terminal_size((80, 24)).columns - 1))
        out.write(answer + "\n")
        out.flush()
    if transcript:
        from assistant.replay import save_transcript

        save_transcript(conv, transcript)
    return 0
