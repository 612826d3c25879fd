"""Transcripts: load and validate, replay turn by turn, compare, re-record, save.

A transcript (contract §3) is a YAML file:

    name: osteopenia, follow-ups            # required
    profile: us                             # optional (us, aace, acp, endocrine); default us
    xfail: "why it is expected to fail"     # optional: a known failure, reported as XFAIL, not an error
    turns:                                  # required, at least one
      - user: "She is 67; FRAX 11% major, 1.4% hip."
        expect:                             # optional partial expectations
          facts: {age: 67, frax: {major: 11}}    # subset of the patient's recorded facts after the turn
          classification: osteopenia        # the category (null: none)
          decision: "no"                    # pharmacologic_treatment (yes / no / conditional / n/a)
          says: ["20%"]                     # case-insensitive substrings of the rendered text
          not_says: ["alendronate 70 mg"]
          cites: ["bhof-2022"]              # reference ids (or passage ids with '#') cited by the reply
          hypothetical: true                # extension: the reply is (not) a what-if answer
          kind: answer                      # extension: answer, why, sources, missing, reset, message,
                                            #   out_of_scope
        answer: |                           # optional exact snapshot of the rendered text
          ...

Unknown keys are an error. `facts` compares only the keys given, numbers within 0.05; lists are
compared as sets (medications: each expected entry matches one given, by its keys). `facts` is the
patient's recorded state after the turn (so a what-if leaves it unchanged); `classification`,
`decision` and `cites` are read from the answer the reply shows (for "why?" and "sources", the
answer they are about).

`assistant replay FILE... [--update]`: a line per turn, a unified diff for each changed snapshot,
exit 1 on any failure, 2 for a file that cannot be read or is malformed (file:line: what is wrong).
`--update` re-records the snapshots the file has, editing only those (atomically).
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.atomic import atomic_write
from assistant.conversation import PROFILES, Conversation, Reply

SUFFIX = ".transcript.yaml"
TOP_KEYS = ("name", "profile", "turns", "xfail", "description")
TURN_KEYS = ("user", "expect", "answer")
EXPECT_KEYS = ("facts", "classification", "decision", "says", "not_says", "cites", "hypothetical", "kind")
FACT_KEYS = (
    "age", "sex", "menopause", "t_scores", "z_scores", "frax", "prior_fragility_fracture", "fracture_sites",
    "glucocorticoids", "egfr", "vitamin_d", "medications", "t_score_unsited", "z_score_unsited",
    "glucocorticoid_dose_mg", "calcium", "conditions",
)
DECISIONS = ("yes", "no", "conditional", "n/a")
KINDS = ("answer", "why", "sources", "missing", "reset", "message", "out_of_scope")
TOLERANCE = 0.05


class TranscriptError(Exception):
    """A transcript file that cannot be used: names the file, the line and what is wrong."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = str(path), line, problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


@dataclass
class Expect:
    facts: dict[str, Any] | None = None
    classification: str | None = None
    has_classification: bool = False
    decision: str | None = None
    says: list[str] = field(default_factory=list)
    not_says: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    hypothetical: bool | None = None
    kind: str | None = None


@dataclass
class Turn:
    user: str
    line: int
    expect: Expect | None = None
    answer: str | None = None  # the snapshot, when the file has one
    has_answer: bool = False


@dataclass
class Transcript:
    path: Path
    name: str
    profile: str
    turns: list[Turn]
    xfail: str | None = None
    source: str = ""  # the file's text (for --update)


@dataclass
class TurnResult:
    index: int
    turn: Turn
    reply: Reply
    problems: list[str]
    diff: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.diff is None


@dataclass
class TranscriptResult:
    transcript: Transcript
    turns: list[TurnResult]

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.turns)

    def report(self, *, passing: bool = True) -> str:
        """A line per turn (failing ones with their problems and diff)."""
        out = []
        for t in self.turns:
            if t.ok and not passing:
                continue
            status = "ok  " if t.ok else "FAIL"
            out.append(f"{status} {self.transcript.path}:{t.turn.line} turn {t.index}: {_short(t.turn.user)}")
            out.extend(f"     - {p}" for p in t.problems)
            if t.diff:
                out.append(t.diff.rstrip("\n"))
            if t.reply.error and not t.ok:
                out.append(t.reply.error.rstrip("\n"))
        return "\n".join(out) + ("\n" if out else "")


def _short(text: str, width: int = 60) -> str:
    one = " ".join(text.split())
    return one if len(one) <= width else one[: width - 3] + "..."


# -- loading -------------------------------------------------------------------------------------
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _value(node: yaml.Node) -> Any:
    constructor = yaml.constructor.SafeConstructor()
    return constructor.construct_object(node, deep=True)


def _str(path: Path, node: yaml.Node, what: str, *, allow_null: bool = False) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        raise TranscriptError(path, _line(node), f"{what} must be a string")
    if allow_null and node.tag.endswith(":null"):
        return None
    return node.value  # the text as written: `decision: no` is the string "no", not False


def _str_list(path: Path, node: yaml.Node, what: str) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        return [node.value]
    if not isinstance(node, yaml.SequenceNode):
        raise TranscriptError(path, _line(node), f"{what} must be a list of strings")
    out = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode):
            raise TranscriptError(path, _line(item), f"{what} must be a list of strings")
        out.append(item.value)
    return out


Pair = tuple[yaml.Node, yaml.Node]
SITES = ("femoral_neck", "total_hip", "lumbar_spine", "forearm_33")


def _mapping(path: Path, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, Pair]:
    if not isinstance(node, yaml.MappingNode):
        raise TranscriptError(path, _line(node), f"{what} must be a mapping")
    out: dict[str, Pair] = {}
    for k, v in node.value:
        key = k.value if isinstance(k, yaml.ScalarNode) else None
        if key not in allowed:
            raise TranscriptError(
                path, _line(k), f"unknown key {key!r} in {what} (allowed: {', '.join(allowed)})"
            )
        if key in out:
            raise TranscriptError(path, _line(k), f"key {key!r} is given twice in {what}")
        out[key] = (k, v)
    return out


def _check_facts(path: Path, node: yaml.Node) -> dict[str, Any]:
    keys = _mapping(path, node, "expect.facts", FACT_KEYS)
    for key, (_k, v) in keys.items():
        if key in ("t_scores", "z_scores"):
            sites = _mapping(path, v, f"expect.facts.{key}", SITES)
            for site, (_sk, sv) in sites.items():
                value = _value(sv)
                if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                    raise TranscriptError(path, _line(sv), f"{key}.{site} must be a number")
        elif key == "frax":
            if not (isinstance(v, yaml.ScalarNode) and v.tag.endswith(":null")):
                _mapping(path, v, "expect.facts.frax", ("major", "hip"))
        elif key == "conditions":
            _mapping(path, v, "expect.facts.conditions", tuple(str(x.value) for x, _ in v.value)
                     if isinstance(v, yaml.MappingNode) else ())
    value = _value(node)
    assert isinstance(value, dict)
    return value


def _expect(path: Path, node: yaml.Node) -> Expect:
    keys = _mapping(path, node, "expect", EXPECT_KEYS)
    e = Expect()
    if "facts" in keys:
        e.facts = _check_facts(path, keys["facts"][1])
    if "classification" in keys:
        e.has_classification = True
        e.classification = _str(path, keys["classification"][1], "expect.classification", allow_null=True)
    if "decision" in keys:
        v = keys["decision"][1]
        decision = _str(path, v, "expect.decision")
        decision = {"false": "no", "true": "yes"}.get(str(decision).lower(), str(decision).lower())
        if decision not in DECISIONS:
            raise TranscriptError(path, _line(v), f"expect.decision must be one of {', '.join(DECISIONS)}")
        e.decision = decision
    for name in ("says", "not_says", "cites"):
        if name in keys:
            setattr(e, name, _str_list(path, keys[name][1], f"expect.{name}"))
    if "hypothetical" in keys:
        v = keys["hypothetical"][1]
        value = _value(v)
        if not isinstance(value, bool):
            raise TranscriptError(path, _line(v), "expect.hypothetical must be true or false")
        e.hypothetical = value
    if "kind" in keys:
        v = keys["kind"][1]
        kind = _str(path, v, "expect.kind")
        if kind not in KINDS:
            raise TranscriptError(path, _line(v), f"expect.kind must be one of {', '.join(KINDS)}")
        e.kind = kind
    return e


def parse_transcript(text: str, path: str | Path = "<transcript>") -> Transcript:
    """Validate a transcript's text. Raises TranscriptError (file, line, what is wrong)."""
    path = Path(path)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise TranscriptError(path, line, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise TranscriptError(path, None, f"not valid YAML: {exc}") from None
    if root is None:
        raise TranscriptError(path, 1, "the file is empty; a transcript needs 'name' and 'turns'")
    top = _mapping(path, root, "the transcript", TOP_KEYS)
    for required in ("name", "turns"):
        if required not in top:
            raise TranscriptError(path, _line(root), f"missing required key {required!r}")
    name = _str(path, top["name"][1], "name") or ""
    profile = "us"
    if "profile" in top:
        v = top["profile"][1]
        profile = _str(path, v, "profile") or "us"
        if profile not in PROFILES:
            raise TranscriptError(path, _line(v), f"unknown profile {profile!r} (one of {', '.join(PROFILES)})")
    xfail = _str(path, top["xfail"][1], "xfail") if "xfail" in top else None
    if "description" in top:
        _str(path, top["description"][1], "description")
    turns_node = top["turns"][1]
    if not isinstance(turns_node, yaml.SequenceNode) or not turns_node.value:
        raise TranscriptError(path, _line(turns_node), "turns must be a non-empty list of {user: ...} entries")
    turns: list[Turn] = []
    for item in turns_node.value:
        keys = _mapping(path, item, "a turn", TURN_KEYS)
        if "user" not in keys:
            raise TranscriptError(path, _line(item), "a turn needs 'user' (the message typed)")
        user = _str(path, keys["user"][1], "user")
        t = Turn(user=user or "", line=_line(item))
        if "expect" in keys:
            t.expect = _expect(path, keys["expect"][1])
        if "answer" in keys:
            t.has_answer = True
            t.answer = _str(path, keys["answer"][1], "answer", allow_null=True)
        turns.append(t)
    return Transcript(path=path, name=name, profile=profile, turns=turns, xfail=xfail, source=text)


def load_transcript(path: str | Path) -> Transcript:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TranscriptError(path, None, f"cannot read: {exc}") from None
    return parse_transcript(text, path)


# -- comparing -----------------------------------------------------------------------------------
def _close(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= TOLERANCE + 1e-9
    if isinstance(a, dict) and isinstance(b, dict):
        return all(k in b and _close(v, b[k]) for k, v in a.items())
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        rest = list(b)
        for item in a:
            match = next((i for i, other in enumerate(rest) if _close(item, other)), None)
            if match is None:
                return False
            rest.pop(match)
        return True
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    return a == b


def _fact_problems(expected: dict[str, Any], actual: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key, want in expected.items():
        got = actual.get(key) if isinstance(actual, dict) else None
        if want in ({}, []):  # "nothing": an empty mapping or list, or not given at all
            if got:
                out.append(f"facts.{prefix}{key}: expected none, got {_show(got)}")
        elif isinstance(want, dict) and isinstance(got, dict):
            out.extend(_fact_problems(want, got, f"{prefix}{key}."))
        elif not _close(want, got):
            out.append(f"facts.{prefix}{key}: expected {_show(want)}, got {_show(got)}")
    return out


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _cited_refs(conv: Conversation, reply: Reply) -> set[str]:
    out: set[str] = set()
    for pid in reply.cited:
        out.add(pid)
        p = conv.corpus.passages.get(pid)
        if p is not None:
            out.add(p.ref)
    return out


def check_turn(conv: Conversation, reply: Reply, expect: Expect) -> list[str]:
    """Every way the reply misses its expectations, in words (empty: it meets them)."""
    problems: list[str] = []
    a = reply.answer.assessment if reply.answer is not None else None
    if expect.kind is not None and reply.kind != expect.kind:
        problems.append(f"kind: expected {expect.kind}, got {reply.kind}")
    if expect.hypothetical is not None and reply.hypothetical != expect.hypothetical:
        problems.append(f"hypothetical: expected {_show(expect.hypothetical)}, got {_show(reply.hypothetical)}")
    if expect.facts is not None:
        state = reply.state if reply.state is not None else conv.facts
        problems.extend(_fact_problems(expect.facts, state.contract_dict()))
    if expect.has_classification:
        got = a.classification.category.value if a is not None and a.classification.category else None
        if (got or None) != (expect.classification or None):
            problems.append(f"classification: expected {_show(expect.classification)}, got {_show(got)}")
    if expect.decision is not None:
        got = a.decision.value if a is not None else None
        if got != expect.decision:
            problems.append(f"decision: expected {_show(expect.decision)}, got {_show(got)}")
    if expect.says or expect.not_says:
        # Case-insensitive; the answer (several kB) is lower-cased only when a phrase is not there as written.
        text = reply.text
        low: str | None = None
        for s in expect.says:
            if s in text:
                continue
            if low is None:
                low = text.lower()
            if s.lower() not in low:
                problems.append(f"says: {s!r} is not in the answer")
        for s in expect.not_says:
            if low is None:
                low = text.lower()
            if s.lower() in low:
                problems.append(f"not_says: {s!r} is in the answer")
    if expect.cites:
        cited = _cited_refs(conv, reply)
        for ref in expect.cites:
            if ref not in cited:
                problems.append(f"cites: {ref!r} is not cited (cited: {', '.join(sorted(cited)) or 'nothing'})")
    return problems


def snapshot_diff(path: Path, index: int, want: str, got: str) -> str | None:
    if want == got:
        return None
    lines = difflib.unified_diff(
        want.splitlines(keepends=True),
        got.splitlines(keepends=True),
        fromfile=f"{path} turn {index} (snapshot)",
        tofile=f"{path} turn {index} (now)",
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def run_transcript(t: Transcript, conv: Conversation | None = None) -> TranscriptResult:
    """Replay every turn through one Conversation and compare."""
    conv = conv or Conversation(profile=t.profile)
    results = []
    for i, turn in enumerate(t.turns, start=1):
        reply = conv.ask(turn.user)
        problems = check_turn(conv, reply, turn.expect) if turn.expect is not None else []
        if reply.error is not None:
            problems.insert(0, "internal error while answering (traceback below)")
        diff = None
        if turn.has_answer:
            diff = snapshot_diff(t.path, i, turn.answer or "", reply.text)
        results.append(TurnResult(i, turn, reply, problems, diff))
    return TranscriptResult(t, results)


# -- writing -------------------------------------------------------------------------------------
def _block(text: str, indent: int) -> str | None:
    """`text` as a YAML literal block scalar ("|" and indented lines), or None if it cannot be one."""
    if not text or any(ch in text for ch in "\r\t\ufeff") or not _printable_lines(text):
        return None
    if text.endswith("\n\n"):
        chomp = "+"
    elif text.endswith("\n"):
        chomp = ""
    else:
        chomp = "-"
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    if text.endswith("\n\n"):
        lines = text.split("\n")[:-1]
    if any(line.rstrip(" ") != line for line in lines if line.strip()):
        return None  # trailing spaces survive a block scalar, but are easy to lose in editors: quote
    pad = " " * indent
    indicator = str(indent) if lines and lines[0].startswith(" ") else ""
    body = "".join((pad + line if line else "") + "\n" for line in lines)
    out = f"|{indicator}{chomp}\n{body}"
    return out


def _printable_lines(text: str) -> bool:
    return all(line.isprintable() for line in text.split("\n"))


def yaml_scalar(text: str, indent: int) -> str:
    """A YAML scalar for `text`, ending with a newline: a literal block when possible, else quoted."""
    block = _block(text, indent)
    if block is not None and _roundtrips(block, text):
        return block
    quoted = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1 << 30).rstrip("\n")
    if quoted.endswith("\n..."):
        quoted = quoted[: -len("\n...")]
    return quoted + "\n"


def _roundtrips(scalar: str, text: str) -> bool:
    try:
        return yaml.load("x: " + scalar, Loader=_Loader) == {"x": text}
    except yaml.YAMLError:
        return False


def _inline(text: str) -> str:
    """A one-line YAML scalar (double-quoted)."""
    out = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1 << 30).rstrip("\n")
    return out[: -len("\n...")] if out.endswith("\n...") else out


def update_snapshots(t: Transcript, result: TranscriptResult) -> int:
    """Re-record the snapshots the file has (only those), keeping the rest of the text as it is.

    Returns how many snapshots changed; writes the file atomically when any did."""
    root = yaml.compose(t.source, Loader=_Loader)
    turns_node = next(v for k, v in root.value if k.value == "turns")  # type: ignore[union-attr]
    edits: list[tuple[int, int, str]] = []
    for item, tr in zip(turns_node.value, result.turns, strict=True):
        if not tr.turn.has_answer or tr.diff is None:
            continue
        for k, v in item.value:
            if k.value != "answer":
                continue
            start, end = v.start_mark.index, v.end_mark.index
            scalar = yaml_scalar(tr.reply.text, k.start_mark.column + 2)
            if t.source[start - 1] == ":":
                scalar = " " + scalar
            # A block scalar ends at the start of a line; a flow scalar mid-line: take the line's end too.
            if end > 0 and t.source[end - 1] != "\n":
                nl = t.source.find("\n", end)
                end = len(t.source) if nl < 0 else nl + 1
            edits.append((start, end, scalar))
    if not edits:
        return 0
    text = t.source
    for start, end, scalar in sorted(edits, reverse=True):
        text = text[:start] + scalar + text[end:]
    # Check the edit: every snapshot now equals the new answer, everything else as it was.
    again = parse_transcript(text, t.path)
    for old, new, tr in zip(t.turns, again.turns, result.turns, strict=True):
        want = tr.reply.text if old.has_answer else old.answer
        if new.answer != want or new.user != old.user:
            raise TranscriptError(t.path, old.line, "could not re-record this snapshot in place")
    atomic_write(t.path, text)
    t.source = text
    return len(edits)


def transcript_text(conv: Conversation, name: str = "saved conversation") -> str:
    """A conversation as a transcript: each turn with its decision, classification, facts and snapshot."""
    out = [f"name: {_inline(name)}", f"profile: {conv.initial_profile}", "turns:"]
    for reply in conv.replies:
        out.append(f"  - user: {_inline(reply.user)}")
        expect: list[str] = [f"kind: {reply.kind}"]
        if reply.kind in ("answer", "out_of_scope") and reply.answer is not None:
            a = reply.answer.assessment
            cat = a.classification.category
            expect.append(f"classification: {cat.value if cat else 'null'}")
            expect.append(f"decision: {_inline(a.decision.value)}")
            expect.append(f"hypothetical: {'true' if reply.hypothetical else 'false'}")
        if reply.state is not None:
            facts = _present_facts(reply.state.contract_dict())
            if facts:
                dumped = yaml.safe_dump(facts, default_flow_style=True, allow_unicode=True, width=1 << 30,
                                        sort_keys=False).strip()
                expect.append(f"facts: {dumped}")
        out.append("    expect:")
        out.extend(f"      {line}" for line in expect)
        out.append("    answer: " + yaml_scalar(reply.text, 6).rstrip("\n"))
    return "\n".join(out) + "\n"


def _present_facts(d: dict[str, Any]) -> dict[str, Any]:
    keep = ("age", "sex", "menopause", "t_scores", "z_scores", "frax", "prior_fragility_fracture",
            "fracture_sites", "glucocorticoids", "egfr", "vitamin_d", "t_score_unsited", "z_score_unsited")
    out = {}
    for k in keep:
        v = d.get(k)
        if v is None or v == {} or v == []:
            continue
        if k == "frax":
            v = {p: x for p, x in v.items() if x is not None}
        out[k] = v
    return out


def save_transcript(conv: Conversation, path: str | Path, name: str | None = None) -> Path:
    """Write the conversation as a transcript (atomically). It replays green with the same code."""
    path = Path(path)
    text = transcript_text(conv, name or path.name.removesuffix(SUFFIX).removesuffix(".yaml"))
    parse_transcript(text, path)  # never write a file we could not read back
    atomic_write(path, text)
    return path


# -- command -------------------------------------------------------------------------------------
def _expand(files: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for f in files:
        p = Path(f)
        if p.is_dir():
            out.extend(sorted(p.rglob(f"*{SUFFIX}")))
        else:
            out.append(p)
    return out


def main_replay(files: Iterable[str], update: bool = False, out: Any = None) -> int:
    """`assistant replay FILE... [--update]`. Exit 0 all passed, 1 any failure, 2 unusable file."""
    out = out or sys.stdout
    err = sys.stderr
    paths = _expand(files)
    transcripts = []
    for p in paths:
        try:
            transcripts.append(load_transcript(p))
        except TranscriptError as exc:
            print(f"assistant replay: {exc}", file=err)
            return 2
    failed = passed = xfailed = 0
    turns = 0
    for t in transcripts:
        result = run_transcript(t)
        turns += len(result.turns)
        if update:
            changed = update_snapshots(t, result)
            if changed:
                out.write(f"updated {changed} snapshot(s) in {t.path}\n")
                for tr in result.turns:
                    tr.diff = None
        out.write(result.report())
        if result.ok:
            if t.xfail:
                out.write(f"XPASS {t.path}: expected to fail ({t.xfail}) but passed; remove 'xfail'\n")
            passed += 1
        elif t.xfail:
            out.write(f"XFAIL {t.path}: {t.xfail}\n")
            xfailed += 1
        else:
            failed += 1
    summary = f"{len(transcripts)} transcript(s), {turns} turn(s): {passed} passed, {failed} failed"
    if xfailed:
        summary += f", {xfailed} expected failure(s)"
    out.write(summary + "\n")
    out.flush()
    return 1 if failed else 0
