"""Terminal app timings: start to a usable screen, and Enter to the rendered answer.

    .venv/bin/python benchmarks/tui_bench.py [--runs N]

Targets (issue 6): start < 1 s, Enter -> rendered answer < 100 ms. Prints numbers; asserts nothing.
- start (headless): a fresh process, from launch to the app mounted with the question box focused.
- start (tmux): a fresh `assistant chat` in a real terminal, from launch to the prompt drawn in the pane.
- answer: in the running app, from Enter to the answer mounted and the screen refreshed
  (Conversation.ask + Markdown rendering + panels), per question of a seed conversation.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "What is the appropriate management for a patient with osteopenia "
    "(T\u2011score \u20131.1 at total left hip and \u20131.7 at left femoral neck)?",
    "She is 67; FRAX 11% major, 1.4% hip.",
    "what if her eGFR were 30?",
    "why?",
    "what labs should I order?",
    "when do I repeat the DXA?",
]

_CHILD = r"""
import asyncio, sys, time
from assistant.tui.app import AssistantApp
app = AssistantApp(offer_resume=False)
async def ready(pilot):
    # The first frame is composed and mounted and the question box has focus: the user can type.
    while app.focused is None or app.focused.id != "prompt":
        await asyncio.sleep(0.001)
    usable = time.time()
    cpu = time.process_time()  # CPU seconds of this process so far: what the start costs without other load
    await asyncio.get_running_loop().run_in_executor(None, app.chat._ready.wait)
    sys.stdout.write(f"{usable:.6f} {time.time():.6f} {cpu:.6f}\n")
    sys.stdout.flush()
    app.exit(0)
app.run(headless=True, auto_pilot=ready, size=(100, 30))
"""


def start_headless(runs: int, env: dict[str, str]) -> tuple[list[float], list[float], list[float]]:
    """(launch -> usable screen, launch -> domain loaded and warm, CPU seconds to usable) per run."""
    usable, warm, cpus = [], [], []
    for _ in range(runs):
        t0 = time.time()
        done = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, env=env, cwd=ROOT)
        line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        if not line:
            raise SystemExit(f"child failed: {done.stderr[-2000:]}")
        a, b, c = (float(x) for x in line.split())
        usable.append(a - t0)
        warm.append(b - t0)
        cpus.append(c)
    return usable, warm, cpus


def start_tmux(runs: int, env: dict[str, str]) -> list[float] | None:
    exe = Path(sys.executable).parent / "assistant"
    if shutil.which("tmux") is None or not exe.exists():
        return None
    out = []
    for _ in range(runs):
        sock = f"tui-bench-{uuid.uuid4().hex[:8]}"
        tmux = ["tmux", "-L", sock]
        envs = " ".join(f"{k}={env[k]}" for k in ("XDG_STATE_HOME", "XDG_CONFIG_HOME"))
        try:
            t0 = time.monotonic()
            subprocess.run([*tmux, "-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "100", "-y", "30",
                            f"env {envs} TERM=xterm-256color {exe} chat"], check=True)
            while time.monotonic() - t0 < 15:
                pane = subprocess.run([*tmux, "capture-pane", "-p", "-t", "b"], capture_output=True, text=True)
                if "Type a question" in pane.stdout:
                    out.append(time.monotonic() - t0)
                    break
                time.sleep(0.005)
        finally:
            subprocess.run([*tmux, "kill-server"], capture_output=True)
    return out


async def answer_times(
    rounds: int,
) -> tuple[list[tuple[str, float]], list[tuple[str, float]], list[tuple[str, float]]]:
    """Per question: Enter through the pilot -> refreshed; handler + full frame render (wall, CPU)."""
    from textual.widgets import Input

    from assistant.tui.app import AssistantApp
    from assistant.tui.screen_text import screen_text

    piloted: list[tuple[str, float]] = []
    direct: list[tuple[str, float]] = []
    cpu: list[tuple[str, float]] = []
    for _ in range(rounds):
        for mode in ("pilot", "direct"):
            app = AssistantApp(offer_resume=False)
            async with app.run_test(size=(100, 34)) as pilot:
                await asyncio.get_running_loop().run_in_executor(None, app.chat._ready.wait)  # user still typing
                box = app.chat.query_one("#prompt", Input)
                for q in QUESTIONS:
                    if mode == "pilot":
                        box.value = q
                        t0 = time.perf_counter()
                        await pilot.press("enter")
                        await pilot.pause()
                        piloted.append((q, time.perf_counter() - t0))
                    else:
                        t0, c0 = time.perf_counter(), time.process_time()
                        app.chat.ask(q)  # what Enter runs: journal, ask, mount the answer, update panels
                        app.screen._refresh_layout(app.screen.size)
                        screen_text(app)  # render every cell of the new frame
                        direct.append((q, time.perf_counter() - t0))
                        cpu.append((q, time.process_time() - c0))
                        await pilot.pause()
    return piloted, direct, cpu


def ms(x: float) -> str:
    return f"{x * 1000:7.1f} ms"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_STATE_HOME=f"{tmp}/state", XDG_CONFIG_HOME=f"{tmp}/config")
        os.environ.update(XDG_STATE_HOME=env["XDG_STATE_HOME"], XDG_CONFIG_HOME=env["XDG_CONFIG_HOME"])
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        head, warm, cpus = start_headless(args.runs, env)
        print(f"start to usable screen, headless process ({args.runs} runs): "
              f"median {ms(statistics.median(head))}, max {ms(max(head))}   (target < 1000 ms)")
        print(f"  CPU time of the process until usable (less sensitive to other load): "
              f"median {ms(statistics.median(cpus))}")
        print(f"start to assistant loaded and warm (background, while the user types): "
              f"median {ms(statistics.median(warm))}, max {ms(max(warm))}")
        real = start_tmux(args.runs, env)
        if real:
            print(f"start to usable screen, real terminal (tmux, {len(real)} runs): "
                  f"median {ms(statistics.median(real))}, max {ms(max(real))}   (target < 1000 ms)")
        else:
            print("start to usable screen, real terminal: skipped (no tmux)")
        piloted, direct, cpu = asyncio.run(answer_times(max(1, args.runs // 2)))
        for title, times in (
            ("Enter to rendered answer, handler + full frame render (wall)", direct),
            ("  the same, CPU time of the process (less sensitive to other load)", cpu),
            ("Enter to rendered answer through the test pilot (adds the simulated key press and idle wait)", piloted),
        ):
            per: dict[str, list[float]] = {}
            for q, t in times:
                per.setdefault(q, []).append(t)
            print(title + ":")
            for q, ts in per.items():
                label = q if len(q) <= 60 else q[:57] + "..."
                print(f"  {ms(statistics.median(ts))}  {label}")
            allt = [t for _, t in times]
            print(f"  all turns: median {ms(statistics.median(allt))}, max {ms(max(allt))}   (target < 100 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
