"""A real headless browser for the handout and the web app: Debian's chromium driven by Playwright.

`make test` installs chromium when missing (tools/ensure-chromium.sh). Without it these tests are
skipped on a developer's machine and fail under CI (CI=true), where the browser must be there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("ASSISTANT_CHROMIUM", "/usr/bin/chromium"))


# Per module, not per session: while Playwright's sync API is running it holds an event loop in this
# thread, and the app's pilot tests (asyncio.run) that come after would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run `make test` (tools/ensure-chromium.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        # --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()
