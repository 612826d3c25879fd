"""The package installs: a wheel built from this checkout carries corpus/ and prompts/, and `assistant`, installed
from it into a fresh virtual environment and run from another folder, answers the seed question and passes
`assistant corpus check`."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEED_QUESTION

SOURCES = ("assistant", "corpus", "prompts", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md")


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_wheel_installs_and_answers_from_another_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ASSISTANT_THRESHOLDS")}
    env["ASSISTANT_NO_CACHE"] = "1"
    # Built from a copy of the sources, so that nothing is written into the checkout and no stale build/ is used.
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(source)],
        tmp_path,
        env,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("guideline_assistant-*.whl")

    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env)
    assert made.returncode == 0, made.stderr
    py = venv / "bin" / "python"
    installed = _run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q", str(wheel)],
        tmp_path,
        env,
    )
    assert installed.returncode == 0, installed.stderr
    # The dependencies (pydantic, jinja2, ...) come from this environment, offline: a path line in a .pth file
    # adds its site-packages, whose own .pth files (this checkout's editable install) are not run.
    (fresh_site,) = (venv / "lib").glob("python3*/site-packages")
    (fresh_site / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([str(py), "-c", "import assistant; print(assistant.__file__)"], elsewhere, env)
    assert where.stdout.strip().startswith(str(venv)), where.stdout + where.stderr

    answer = _run([str(venv / "bin" / "assistant"), "ask", SEED_QUESTION], elsewhere, env)
    assert answer.returncode == 0, answer.stderr
    assert "osteopenia" in answer.stdout.lower() and "FRAX" in answer.stdout and "Traceback" not in answer.stderr

    check = _run([str(venv / "bin" / "assistant"), "corpus", "check"], elsewhere, env)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("corpus ok:") and "thresholds" in check.stdout
