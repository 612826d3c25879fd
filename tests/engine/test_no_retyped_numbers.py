"""No clinical number is retyped: templates and traces say a threshold through corpus/thresholds.yaml, never as a
literal, so changing a number in the file changes every word that states it (issue 14).

Two checks:
- the wording (prompts/statements/*.yaml, prompts/{direct,brief,read_as,messages}.yaml, prompts/*.j2): a literal
  number in the text, or compared with in a template tag, that equals a threshold's value is a retyped threshold,
  unless ALLOWED says why it is not one (a trial's result, a guideline's name, ...);
- what the engine writes (the trace's result and threshold strings of every rule that fires, and the text of
  every recommendation) over every transcript under every profile, once with corpus/thresholds.yaml and once with
  a copy in which every value is moved a little (in the direction that leaves every comparison with the
  transcripts' facts as it was): a number that equals a threshold and does not move with it was typed, not read.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from assistant.datafiles import PROMPTS_DIR
from assistant.engine.knowledge.thresholds import THRESHOLDS_FILE, all_thresholds

ROOT = Path(__file__).resolve().parents[2]
TRANSCRIPTS = ROOT / "tests" / "transcripts"

# (file, statement key or template path, number as written) -> why it is not a retyped threshold
ALLOWED: dict[tuple[str, str, str], str] = {
    ("evidence.yaml", "evidence-risedronate-post-hoc", "4"): "trial result: the number of pooled trials",
    ("evidence.yaml", "evidence-risedronate-post-hoc", "-1"): "trial inclusion range (T-scores -1 to -2.5)",
    ("evidence.yaml", "evidence-risedronate-post-hoc", "-2.5"): "trial inclusion range, as the trial defined it",
    ("evidence.yaml", "evidence-risedronate-post-hoc", "3"): "trial result: fractures over 3 years",
    ("evidence.yaml", "evidence-zoledronate-older-women", "5"): "trial dose (5 mg every 18 months), not the label's",
    ("evidence.yaml", "evidence-zoledronate-older-women", "6"): "trial duration (6 years)",
    ("evidence.yaml", "evidence-zoledronate-older-women", "15"): "trial result: number needed to treat",
    ("evidence.yaml", "evidence-nnt-dated", "10"): "number needed to treat, 10 to 20 (a 2012 expert estimate)",
    ("evidence.yaml", "evidence-nnt-dated", "20"): "number needed to treat, 10 to 20 (a 2012 expert estimate)",
    ("evidence.yaml", "evidence-nnt-dated", "15"): "trial result: number needed to treat",
    ("evidence.yaml", "evidence-nnt-dated", "6"): "trial duration (6 years)",
    ("evidence.yaml", "evidence-benefit-by-age-and-severity", "10"): "the study's end point: 10% reaching osteoporosis",
    ("evidence.yaml", "evidence-threshold-debate", "10"): "a 2024 review's suggestion (10-15%), not encoded",
    ("evidence.yaml", "evidence-threshold-debate", "65"): "a 2024 review's population (over 65), not encoded",
    ("special.yaml", "special-65-plus", "15"): "trial result: number needed to treat (Reid 2018)",
    ("special.yaml", "special-65-plus", "6"): "trial duration (6 years)",
    ("special.yaml", "special-65-plus", "10"): "the study's end point: 10% reaching osteoporosis (Gourlay 2012)",
    ("monitoring.yaml", "monitor-gourlay", "10"): "the study's end point: 10% reaching osteoporosis (Gourlay 2012)",
    ("situations.yaml", "sit-thigh-pain", "2"): "imaging advice: a stress fracture may not show for 2 to 3 weeks",
    ("situations.yaml", "sit-thigh-pain", "3"): "imaging advice: a stress fracture may not show for 2 to 3 weeks",
    ("profiles.yaml", "compare-nogg", "70"): "NOGG's age-dependent threshold, described, not encoded",
}

# Numbers that are names or layout, never thresholds: the pattern matches the text around the number.
NOT_THRESHOLDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b10-year\b"), "FRAX's 10-year horizon is part of its name"),
    (re.compile(r"\btype [12]\b", re.I), "type 1 / type 2 diabetes"),
    (re.compile(r"\b1,25-dihydroxy"), "the name of a vitamin D metabolite"),
    (re.compile(r"""\bshow \d\b|"show \d"|\(turn \d\)|turn \d\)"""), "a command or turn number"),
    (re.compile(r"\d+ inputs known, \d+ missing|\d+ rule\(s\) left out"), "a count the trace reports"),
    (re.compile(r"\bACP rec \d+"), "the number of a recommendation in the ACP guideline"),
    (re.compile(r"\+ 1 factor"), "one more risk factor (Hadji: a T-score below the limit with any one factor)"),
)

_NUMBER = re.compile(r"(?<![\w.#/-])[-\u2212]?\d+(?:\.\d+)?(?![\w]|\.\d)")
_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{#.*?#\}", re.S)
_TAG = re.compile(r"\{%.*?%\}", re.S)
_COMPARED = re.compile(r"(?:[<>]=?|==|!=)\s*(-?\d+(?:\.\d+)?)")
_MARKUP = re.compile(r"<[^>]*>")
_GIVEN = re.compile(r"\d+(?:\.\d+)?")  # unsigned: "T -1.7", "–1.7", "-1.7"
_QUOTED = re.compile(r'"([^"]*)"|\'([^\']*)\'')


def _values() -> set[float]:
    return {float(t.value) for t in all_thresholds()}


def literal_numbers(template: str) -> list[str]:
    """Numbers a template writes as literals: in its text, and compared with in its tags (0 and 1 there are
    counting: `length > 1`, `count == 1`)."""
    found = [n for tag in _TAG.findall(template) for n in _COMPARED.findall(tag) if float(n) not in (0.0, 1.0)]
    code = " ".join(_TAG.findall(template) + _EXPRESSION.findall(template))
    quoted = " ".join(a or b for a, b in _QUOTED.findall(code))  # words a tag or an expression writes
    text = _MARKUP.sub(" ", _TAG.sub(" ", _EXPRESSION.sub(" ", template))) + " " + quoted
    for pattern, _why in NOT_THRESHOLDS:
        text = pattern.sub(" ", text)
    return found + [m.group().replace("\u2212", "-") for m in _NUMBER.finditer(text)]


def _strings(node: object, path: tuple[str, ...] = ()):
    if isinstance(node, str):
        yield "/".join(path), node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, (*path, str(k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, (*path, str(i)))


def _templates() -> list[tuple[str, str, str]]:
    """(file, key, template text) for every piece of wording."""
    out: list[tuple[str, str, str]] = []
    files = sorted((PROMPTS_DIR / "statements").glob("*.yaml"))
    files += [PROMPTS_DIR / f"{name}.yaml" for name in ("direct", "brief", "read_as", "messages")]
    for path in files:
        for key, text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            out.append((path.name, key, text))
    for path in sorted(PROMPTS_DIR.glob("*.j2")):
        out.append((path.name, "", path.read_text(encoding="utf-8")))
    return out


def retyped_in_wording() -> list[str]:
    values = _values()
    problems = []
    for file, key, text in _templates():
        for n in literal_numbers(text):
            if float(n) in values and (file, key, n) not in ALLOWED:
                problems.append(f"{file} {key}: {n} retyped (a threshold's value: read it with threshold(ID))")
    return problems


def test_the_wording_never_retypes_a_threshold() -> None:
    assert retyped_in_wording() == []


def test_the_scan_sees_a_retyped_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: a statement that says "at or below -2.5" in words is found."""
    assert literal_numbers("a T-score at or below -2.5, as {{ t | num }} shows{% if n == 1 %}s{% endif %}") == ["-2.5"]
    assert literal_numbers("{% if rounded >= 15 %}long{% endif %}") == ["15"]
    assert (
        literal_numbers("FRAX 10-year probability, type 2 diabetes, {{ threshold('frax-major-treat') | num }}%") == []
    )
    real = _templates()
    monkeypatch.setattr(
        sys.modules[__name__], "_templates", lambda: [*real, ("risk.yaml", "made-up", "treat at 20% or more")]
    )
    assert retyped_in_wording() == ["risk.yaml made-up: 20 retyped (a threshold's value: read it with threshold(ID))"]


def test_every_allowance_is_still_needed() -> None:
    """An allowance whose number has gone (now read from the file) is removed, so the list stays honest."""
    seen = {(file, key, n) for file, key, text in _templates() for n in literal_numbers(text)}
    assert sorted(set(ALLOWED) - seen) == []


# -- what the engine writes, with the thresholds moved ------------------------------------------------------
_COLLECT = """
import json, sys
from pathlib import Path
from assistant.conversation import Conversation
from assistant.replay import load_transcript
out = {}
for path in sorted(Path(sys.argv[1]).glob("*.transcript.yaml")):
    t = load_transcript(path)
    for profile in ("us", "aace", "acp", "endocrine"):
        conv = Conversation(profile=profile)
        for i, turn in enumerate(t.turns, 1):
            reply = conv.ask(turn.user)
            a, answer = conv.last_assessment, reply.answer
            if a is None or answer is None or reply.kind != "answer":
                continue
            key = f"{path.name} {profile} turn {i}"
            texts = [r["text"] for r in answer.as_dict()["recommendations"]]
            out[key] = {
                "given": " ".join(u.user for u in t.turns),
                "trace": [[s.rule, s.result, s.threshold or ""] for s in a.trace],
                "recs": [[r.statement, text] for r, text in zip(a.recommendations, texts)],
            }
for n, text in enumerate(json.loads(sys.argv[2])):
    for profile in ("us", "aace", "acp", "endocrine"):
        conv = Conversation(profile=profile)
        reply = conv.ask(text)
        a, answer = conv.last_assessment, reply.answer
        if a is None or answer is None or reply.kind != "answer":
            continue
        texts = [r["text"] for r in answer.as_dict()["recommendations"]]
        out[f"extra {n} {profile}"] = {
            "given": text,
            "trace": [[s.rule, s.result, s.threshold or ""] for s in a.trace],
            "recs": [[r.statement, t] for r, t in zip(a.recommendations, texts)],
        }
print(json.dumps(out))
"""

# Patients the transcripts do not meet, so that their rules' words are checked too.
EXTRA = (
    "68-year-old woman starting anastrozole, femoral neck T-score -1.7, on prednisone for 8 months, 45 kg, 160 cm",
    "42-year-old man, lumbar spine Z-score -2.4, no fractures",
    "Premenopausal woman of 44, femoral neck T-score -2.6",
    "81-year-old man on dialysis, femoral neck T-score -2.9, hip fracture last year",
    "63-year-old woman, total hip T-score -1.3, on letrozole, smoker, mother had a hip fracture",
)

# A move that leaves most comparisons with the transcripts' facts as they were and still shows when the number is
# written with one decimal: whole numbers (ages, doses, counts; some are read as integers) move by 1, others by 0.07.
_MOVE = 0.07
_DIRECTION = {">=": -1, ">": 1, "<=": 1, "<": -1, "=": 1}


def _moved_copy(tmp: Path) -> Path:
    entries = yaml.safe_load(THRESHOLDS_FILE.read_text(encoding="utf-8"))
    for e in entries:
        step = 1 if isinstance(e["value"], int) else _MOVE
        e["value"] = round(e["value"] + _DIRECTION[e["comparison"]] * step, 4)
    path = tmp / "thresholds.yaml"
    path.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    return path


def _collect(thresholds: Path | None) -> dict:
    env = {**os.environ, "ASSISTANT_NO_CACHE": "1"}
    env.pop("ASSISTANT_THRESHOLDS", None)
    if thresholds is not None:
        env["ASSISTANT_THRESHOLDS"] = str(thresholds)
    done = subprocess.run(
        [sys.executable, "-c", _COLLECT, str(TRANSCRIPTS), json.dumps(EXTRA)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _numbers(text: str) -> list[str]:
    for pattern, _why in NOT_THRESHOLDS:
        text = pattern.sub(" ", text)
    return [m.group().replace("\u2212", "-") for m in _NUMBER.finditer(text)]


# (rule id, number) -> why a number that equals a threshold is not one in that rule's trace; a statement's
# allowances (ALLOWED, by statement key) hold for its rendered text too.
ALLOWED_WRITTEN: dict[tuple[str, str], str] = {
    ("evidence-zoledronate-older-women", "15"): "trial result: number needed to treat (Reid 2018)",
    ("evidence-nnt-dated", "15"): "trial result: number needed to treat (Reid 2018)",
    ("evidence-threshold-debate", "10"): "a 2024 review's suggestion (10-15%), not encoded",
    ("profile-left-out", "30"): "a rule the profile leaves out, described in corpus/profiles.yaml (nothing reads it)",
    ("profile-left-out", "50"): "a rule the profile leaves out, described in corpus/profiles.yaml (nothing reads it)",
    ("profile-left-out", "65"): "a rule the profile leaves out, described in corpus/profiles.yaml (nothing reads it)",
}


def _allowed(name: str, number: str) -> bool:
    return (name, number) in ALLOWED_WRITTEN or any(
        key == name and float(n) == float(number) for _file, key, n in ALLOWED
    )


def typed_numbers(before: dict, after: dict, values: set[float]) -> tuple[list[str], int]:
    """Numbers equal to a threshold that stayed put when the thresholds moved, and how many texts were compared
    (a turn whose rules or recommendations changed with the move is skipped)."""
    problems: list[str] = []
    compared = 0
    for key, old in before.items():
        new = after.get(key)
        if new is None:
            continue
        given = {float(n) for n in _GIVEN.findall(old["given"])}  # the facts' own numbers may equal a threshold
        for part in ("trace", "recs"):
            if [x[0] for x in old[part]] != [x[0] for x in new[part]]:
                continue
            for old_item, new_item in zip(old[part], new[part], strict=True):
                for old_text, new_text in zip(old_item[1:], new_item[1:], strict=True):
                    a, b = _numbers(old_text), _numbers(new_text)
                    compared += 1
                    if len(a) != len(b):
                        continue
                    for x, y in zip(a, b, strict=True):
                        kept = x == y and float(x) in values and abs(float(x)) not in given
                        if kept and not _allowed(old_item[0], x):
                            problems.append(f"{key}: {old_item[0]}: {x} typed in {old_text!r}")
    return sorted(set(problems)), compared


def test_traces_and_statements_move_with_the_thresholds(tmp_path: Path) -> None:
    before = _collect(None)
    after = _collect(_moved_copy(tmp_path))
    problems, compared = typed_numbers(before, after, _values())
    assert compared > 2000  # most turns keep their rules when every threshold moves a little
    assert problems == []


def test_a_typed_trace_number_is_found() -> None:
    """The comparison can fail: a trace that keeps -2.5 while the threshold moved to -2.43 is typed; one that
    moved with it, or that repeats the patient's own number, is not."""
    before = {"t turn 1": {"given": "T -1.7", "trace": [["r", "T <= -2.5; lowest -1.7", ""]], "recs": []}}
    typed = {"t turn 1": {"given": "T -1.7", "trace": [["r", "T <= -2.5; lowest -1.7", ""]], "recs": []}}
    read = {"t turn 1": {"given": "T -1.7", "trace": [["r", "T <= -2.43; lowest -1.7", ""]], "recs": []}}
    values = {-2.5, -1.7}
    assert typed_numbers(before, typed, values) == (["t turn 1: r: -2.5 typed in 'T <= -2.5; lowest -1.7'"], 2)
    assert typed_numbers(before, read, values) == ([], 2)
