"""Shared test helpers."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_QUESTION = (
    "What is the appropriate management for a patient with osteopenia "
    "(T\u2011score \u20131.1 at total left hip and \u20131.7 at left femoral neck)?"
)


@pytest.fixture
def assistant_cmd() -> list[str]:
    """The installed console script (falls back to python -m assistant)."""
    exe = Path(sys.executable).parent / "assistant"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant"]


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the real user's config or state directory from a test."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("ASSISTANT_CONFIG", raising=False)
    os.environ.setdefault("PYTHONHASHSEED", "0")
