"""`assistant web` in a real browser: the real textual-serve on 127.0.0.1 and a free port, stopped after.
The app draws its chat, takes a question typed into the page and shows the answer, opens its handout
export in a new tab, and a second tab is a conversation of its own.

The terminal in the page draws on a canvas, so what it shows is read from what the page received over
its websocket (the same bytes the terminal draws), with the escape sequences taken out.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

WAIT_MS = 90_000  # generous: the machine is shared and a new app process starts per tab

# Keeps a copy of every frame the page's websocket receives; window.__screenText() gives the text.
RECORD_SCREEN = (Path(__file__).resolve().parents[2] / "tools" / "record-screen.js").read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def web_url(tmp_path: Path, assistant_cmd: list[str]) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    log = (tmp_path / "web.log").open("w")
    # Its own process group: the server and the app processes it starts are all stopped after.
    proc = subprocess.Popen([*assistant_cmd, "web", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env=env, cwd=tmp_path, start_new_session=True)
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("assistant web did not start: " + (tmp_path / "web.log").read_text())
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _tab(browser: Any, url: str, outside: list[str] | None = None) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    page = context.new_page()
    page.add_init_script(RECORD_SCREEN)
    if outside is not None:  # requests that leave this machine
        page.on("request", lambda r: None if r.url.startswith((url, url.replace("http", "ws", 1), "blob:", "data:"))
                else outside.append(r.url))
    page.goto(url, wait_until="domcontentloaded")
    return page


def _shows(page: Any, words: str) -> None:
    page.wait_for_function("(w) => window.__screenText().includes(w)", arg=words, timeout=WAIT_MS)


def test_web_app_draws_the_chat_and_answers(browser: Any, web_url: str) -> None:
    outside: list[str] = []
    first = _tab(browser, web_url, outside)
    _shows(first, "Type a question or patient facts")  # the chat's input
    _shows(first, "No patient facts yet.")
    first.locator(".xterm-helper-textarea").focus()
    first.keyboard.type("67F, FN T -1.7, FRAX 11% / 1.4%")
    first.keyboard.press("Enter")
    _shows(first, "Drug treatment is not indicated")
    _shows(first, "Femoral neck T-score -1.7")  # the facts panel, with the words they came from

    # Ctrl+O, Enter: the export is written and the handout opens in a new browser tab, ready to print.
    first.keyboard.press("Control+o")
    _shows(first, "Export the conversation")
    with first.context.expect_page(timeout=WAIT_MS) as opened:
        first.keyboard.press("Enter")
    handout = opened.value
    handout.wait_for_load_state()
    assert "femoral neck T-score -1.7" in handout.locator("#read").inner_text()
    assert handout.locator("#picture svg").count() == 1

    assert outside == []  # the page, its font and the handout: all from this machine

    second = _tab(browser, web_url)  # a new tab: a new app process, a new conversation
    _shows(second, "No patient facts yet.")
    assert "Drug treatment is not indicated" not in second.evaluate("window.__screenText()")
    for page in (first, second):
        page.context.close()


def test_web_warns_when_not_on_loopback(assistant_cmd: list[str]) -> None:
    # An address that cannot be bound here: the warning comes first, then one line of error, status 2.
    result = subprocess.run([*assistant_cmd, "web", "--host", "192.0.2.1", "--port", str(_free_port())],
                            capture_output=True, text=True, timeout=60)
    assert "Nothing is authenticated" in result.stderr
    assert result.returncode == 2 and "Traceback" not in result.stderr


if sys.platform == "win32":  # pragma: no cover - process groups
    pytestmark = pytest.mark.skip("POSIX only")
