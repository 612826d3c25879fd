"""A real-terminal check: start the app in a detached tmux session, type a question, read the pane.

Skipped when tmux is not installed. Uses its own tmux socket so it never touches another server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.tui.helpers import SEED_QUESTION

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WIDTH, HEIGHT = 100, 32


def _assistant() -> str:
    exe = Path(sys.executable).parent / "assistant"
    if not exe.exists():
        pytest.skip("the assistant console script is not installed")
    return str(exe)


class Tmux:
    def __init__(self, tmp: Path) -> None:
        self.socket = f"tui-test-{uuid.uuid4().hex[:8]}"
        self.session = "app"
        self.tmp = tmp

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def start(self, command: str) -> None:
        self.run("-f", "/dev/null", "new-session", "-d", "-s", self.session, "-x", str(WIDTH), "-y", str(HEIGHT),
                 "-c", str(self.tmp), command)

    def pane(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session, check=False).stdout

    def wait_for(self, needle: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.pane()
            if needle in text:
                return text
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} never appeared; the pane shows:\n{text}")

    def alive(self) -> bool:
        return self.run("has-session", "-t", self.session, check=False).returncode == 0

    def close(self) -> None:
        self.run("kill-server", check=False)


def test_app_draws_and_answers_in_a_real_terminal(tmp_path: Path) -> None:
    tmux = Tmux(tmp_path)
    env = f"env XDG_STATE_HOME={tmp_path / 'state'} XDG_CONFIG_HOME={tmp_path / 'config'} TERM=xterm-256color"
    status = tmp_path / "status"
    try:
        tmux.start(f"{env} {_assistant()} chat; echo exit=$? > {status}; sleep 5")
        tmux.wait_for("Type a question")
        tmux.run("send-keys", "-t", tmux.session, "-l", SEED_QUESTION)
        tmux.run("send-keys", "-t", tmux.session, "Enter")
        pane = tmux.wait_for("You (turn 1)")
        assert "osteopenia" in pane
        tmux.wait_for("Treat: it depends")
        tmux.run("send-keys", "-t", tmux.session, "F3")
        tmux.wait_for("Facts")
        tmux.run("send-keys", "-t", tmux.session, "C-q")
        deadline = time.monotonic() + 10
        while not status.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status.read_text().strip() == "exit=0"
    finally:
        tmux.close()
    assert not tmux.alive()
    assert os.path.isdir(tmp_path / "state" / "guideline-assistant" / "journal")


def test_last_answer_of_twelve_turns_is_on_screen_at_80x24_in_a_real_terminal(tmp_path: Path) -> None:
    from tests.tui.test_direct_app import TWELVE_TURNS

    tmux = Tmux(tmp_path)
    env = f"env XDG_STATE_HOME={tmp_path / 'state'} XDG_CONFIG_HOME={tmp_path / 'config'} TERM=xterm-256color"
    try:
        tmux.run("-f", "/dev/null", "new-session", "-d", "-s", tmux.session, "-x", "80", "-y", "24",
                 "-c", str(tmp_path), f"{env} {_assistant()} chat; sleep 5")
        tmux.wait_for("Type a question")
        for n, turn in enumerate(TWELVE_TURNS, start=1):
            tmux.run("send-keys", "-t", tmux.session, "-l", turn)
            tmux.run("send-keys", "-t", tmux.session, "Enter")
            tmux.wait_for(f"You (turn {n})")
        pane = " ".join(tmux.wait_for("Stop denosumab?").split())
        assert "Stop denosumab? Not without a follow-on." in pane
        tmux.run("send-keys", "-t", tmux.session, "C-q")
    finally:
        tmux.close()


def test_plain_chat_has_line_editing_and_history_in_a_real_terminal(tmp_path: Path) -> None:
    tmux = Tmux(tmp_path)
    env = f"env XDG_STATE_HOME={tmp_path / 'state'} XDG_CONFIG_HOME={tmp_path / 'config'} TERM=xterm-256color"
    try:
        tmux.run("-f", "/dev/null", "new-session", "-d", "-s", tmux.session, "-x", "60", "-y", "40",
                 "-c", str(tmp_path), f"{env} {_assistant()} chat --plain; sleep 5")
        tmux.wait_for("leave.")
        time.sleep(0.3)
        tmux.run("send-keys", "-t", tmux.session, "-l", "what labz?")
        tmux.run("send-keys", "-t", tmux.session, "BSpace", "BSpace")  # line editing
        tmux.run("send-keys", "-t", tmux.session, "-l", "s?")
        tmux.run("send-keys", "-t", tmux.session, "Enter")
        tmux.wait_for("Disclaimer")
        tmux.run("send-keys", "-t", tmux.session, "Up")  # history
        time.sleep(0.5)
        lines = [line for line in tmux.pane().split("\n") if line.strip()]
        assert lines[-1].startswith("> what labs?")
        assert "I could not find" not in tmux.pane()  # "what labz?" was edited before it was sent
        tmux.run("send-keys", "-t", tmux.session, "C-d")
    finally:
        tmux.close()
