"""pytest plugin (entry point `pytest11: assistant_transcripts`): replay transcript files as tests.

With the package installed, pytest collects every file named `*.transcript.yaml` under the paths it
searches (e.g. `tests/transcripts/seed-followups.transcript.yaml`) as one test item per file; the
turns run in order through one `Conversation`, as `assistant replay` does. The file format is in
`assistant.replay` (and the contract, §3). A failing turn shows its unmet expectations and, for an
answer snapshot, a unified diff; a malformed file fails collection with file, line and what is
wrong. A top-level `xfail: "reason"` marks a known failure (non-strict: a pass is reported XPASS).

    pytest --update-transcripts     re-record the answer snapshots of the transcripts run

Nothing heavy is imported until a transcript file is found, so other test suites pay nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SUFFIX = ".transcript.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("assistant transcripts")
    group.addoption(
        "--update-transcripts",
        action="store_true",
        default=False,
        help="re-record the answer snapshots of the *.transcript.yaml files that are run",
    )


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIX):
        return TranscriptFile.from_parent(parent, path=file_path)
    return None


class TranscriptFailure(Exception):
    def __init__(self, report: str) -> None:
        super().__init__(report)
        self.report = report


class TranscriptFile(pytest.File):
    def collect(self) -> Any:
        from assistant.replay import TranscriptError, load_transcript

        try:
            transcript = load_transcript(self.path)
        except TranscriptError as exc:
            raise self.CollectError(str(exc)) from None
        item = TranscriptItem.from_parent(self, name=transcript.name or self.path.name)
        item.transcript = transcript
        if transcript.xfail:
            item.add_marker(pytest.mark.xfail(reason=transcript.xfail, strict=False))
        yield item


class TranscriptItem(pytest.Item):
    transcript: Any = None

    def runtest(self) -> None:
        from assistant.replay import run_transcript, update_snapshots

        result = run_transcript(self.transcript)
        if self.config.getoption("update_transcripts", default=False):
            if update_snapshots(self.transcript, result):
                for tr in result.turns:
                    tr.diff = None
        if not result.ok:
            raise TranscriptFailure(result.report(passing=False))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, TranscriptFailure):
            return f"transcript {self.transcript.path} failed:\n{excinfo.value.report}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"transcript: {self.name}"
