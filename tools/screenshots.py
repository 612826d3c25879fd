"""Draw the browser screenshots of docs/: the handout of a 12-turn conversation (light and dark) and
the app served by `assistant web`, in Debian's headless chromium (tools/ensure-chromium.sh).

    .venv/bin/python tools/screenshots.py [DIR]        # default: docs/

Writes DIR/handout.png, DIR/handout-what-ifs.png, DIR/handout-dark.png, DIR/web.png and the handout
itself as DIR/examples/handout-12-turns.html. The date printed on the handout is fixed so the files
only change when the handout does.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("ASSISTANT_CHROMIUM", "/usr/bin/chromium")
DATE = "2026-12-05"
QUESTION = "67 year old woman, FN T-score -1.7, total hip -1.1, FRAX 11% / 1.4%, what now?"


def _handout(out: Path) -> Path:
    from assistant.conversation import Conversation
    from assistant.handout import render_handout

    conv = Conversation()
    for turn in (ROOT / "docs" / "examples" / "twelve-turns.txt").read_text(encoding="utf-8").splitlines():
        if turn.strip():
            conv.ask(turn)
    path = out / "examples" / "handout-12-turns.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_handout(conv, date=DATE), encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs"
    page_path = _handout(out)
    record = (ROOT / "tools" / "record-screen.js").read_text(encoding="utf-8")
    port = _free_port()
    exe = Path(sys.executable).parent / "assistant"
    server = subprocess.Popen([str(exe), "web", "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for scheme, name in (("light", "handout.png"), ("dark", "handout-dark.png")):
                page = browser.new_page(viewport={"width": 900, "height": 1500}, color_scheme=scheme)
                page.goto(page_path.as_uri())
                page.screenshot(path=str(out / name))
                if scheme == "light":
                    page.locator("#what-ifs").screenshot(path=str(out / "handout-what-ifs.png"))
                page.close()
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            page.add_init_script(record)
            page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
            page.wait_for_function("() => window.__screenText().includes('No patient facts yet.')", timeout=60_000)
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.type(QUESTION)
            page.keyboard.press("Enter")
            page.wait_for_function("() => window.__screenText().includes('Drug treatment is not indicated')",
                                   timeout=60_000)
            page.keyboard.press("F6")  # the picture panel
            time.sleep(1.5)  # let the last frames arrive and the canvas paint
            page.screenshot(path=str(out / "web.png"))
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    for name in ("handout.png", "handout-what-ifs.png", "handout-dark.png", "web.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
