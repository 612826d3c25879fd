"""The handout opened in a real browser: it draws its SVG and its sources, prints to PDF (A4 and
Letter), keeps a user's <script> as text, loads nothing from outside, and reads in dark mode and at
200% zoom."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.conversation import Conversation
from assistant.handout import render_handout

SCRIPT = "<script>window.__pwned = 1; alert('x')</script>"


def _open(page: Any, tmp_path: Path, turns: list[str], **kwargs: Any) -> list[str]:
    conv = Conversation()
    for t in turns:
        conv.ask(t)
    path = tmp_path / "handout.html"
    path.write_text(render_handout(conv, date="2026-12-05"), encoding="utf-8")
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:")) else outside.append(r.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    return outside + dialogs


def test_handout_draws_svg_sources_and_keeps_script_as_text(page: Any, tmp_path: Path) -> None:
    problems = _open(page, tmp_path, [f"67F, FN T -1.7, total hip -1.1, FRAX 11% / 1.4% {SCRIPT}",
                                      "what if her FRAX major were 25%?"])
    assert problems == []  # no request leaves the page, no alert fired
    assert page.evaluate("window.__pwned") is None
    assert page.locator("script").count() == 0
    assert SCRIPT in page.locator("#question").inner_text() or SCRIPT in page.locator("#conversation").inner_text()
    picture = page.locator("#picture svg.picture")
    box = picture.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert picture.locator(".mark").count() == 2  # one diamond per T-score site
    assert "under the 20% threshold" in (picture.text_content() or "")
    sources = page.locator("#sources li")
    assert sources.count() >= 3
    # Every citation mark links to a listed source.
    targets = page.locator(".cite a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert targets and all(page.locator(t).count() == 1 for t in set(targets))
    assert "What-if" in page.locator("#what-ifs").inner_text()


def test_handout_prints_to_pdf_on_a4_and_letter(page: Any, tmp_path: Path) -> None:
    _open(page, tmp_path, ["67F, FN T -1.7, FRAX 11% / 1.4%"])
    pdfs: dict[str, int] = {}
    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size, print_background=True)
        assert pdf.startswith(b"%PDF")
        pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
        assert pages >= 2, size  # the whole handout, over several pages
        pdfs[size] = pages


def test_handout_reads_in_dark_mode_and_at_200_percent(browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 480, "height": 800}, color_scheme="dark")
    try:
        page = context.new_page()
        _open(page, tmp_path, ["67F, FN T -1.7, FRAX 11% / 1.4%"])
        # 200% zoom on a 960-pixel window is a 480-pixel layout: nothing may scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        ink = page.evaluate("getComputedStyle(document.body).color")
        assert _luminance(background) < 0.2 < _luminance(ink)
    finally:
        context.close()


def _luminance(css: str) -> float:
    r, g, b = (int(x) for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
