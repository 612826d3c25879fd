"""What a message was read as, in plain words: the "Read as" line that opens every answer.

    build_read_as(parse("84F, osteopenia, high risk of falls and fractures, dementia"))
    -> "Read as: woman, 84; osteopenia (stated); falls. Not counted: 'fractures' (a risk, not a
       fracture). Not used: 'dementia'."

Built as data (`ReadAs`) from the parse of one message; render shows its line first, the JSON answer
gives its keys (`used`, `set_aside` [{words, why}], `not_understood`), the app's facts panel shows the
same line. Wording in prompts/read_as.yaml and the condition vocabulary (corpus/lexicon.yaml); no
internal field name reaches the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from assistant.datafiles import prompts_file, read_yaml
from assistant.facts import Facts, Mention, Parsed, Site, Span, Status
from assistant.parse.lexicon import condition_vocabulary
from assistant.statements import num

WORDING_PATH = prompts_file("read_as.yaml")  # in a checkout or in the installed package
SITE_WORDS = {Site.FEMORAL_NECK: "femoral neck", Site.TOTAL_HIP: "total hip", Site.LUMBAR_SPINE: "lumbar spine",
              Site.FOREARM_33: "33% radius"}
FIELD_WORDS = {  # a few fields as a clinician says them (the others are built below)
    "egfr": "eGFR", "vitamin_d": "vitamin D", "calcium": "calcium", "pth": "PTH", "tsh": "TSH",
    "alkaline_phosphatase": "alkaline phosphatase", "weight_kg": "weight", "height_cm": "height", "bmi": "BMI",
    "glucocorticoid_dose_mg": "glucocorticoid dose", "frax": "FRAX", "frax.major": "FRAX major",
    "frax.hip": "FRAX hip", "age": "age", "sex": "sex", "menopause": "menopausal status",
    "t_score_unsited": "T-score", "z_score_unsited": "Z-score", "prior_fragility_fracture": "prior fracture",
}
# Only what would format inside a Markdown line that starts with "Read as": emphasis, code, links, HTML,
# strikethrough and the backslash itself (parentheses format nothing once "[" and "]" are escaped).
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>~]")
MAX_WORDS = 40  # characters of the user's words quoted in a set-aside item
# Clinical-looking words: abbreviations in capitals, and words with clinical endings
_ABBREVIATION = re.compile(r"\b[A-Z][A-Z0-9]{1,5}s?\b")
_CLINICAL_ENDING = re.compile(
    r"\b[a-z]{3,}(?:itis|osis|emia|aemia|ectomy|otomy|plasty|pathy|sarcoma|carcinoma|lymphoma|mab|nib|pril|sartan|"
    r"olol|statin|azole|parin|xaban|gliflozin|gliptin|dronate)\b"
)
KNOWN_WORDS = frozenset(
    """i ok us uk usa aace ace acp bhof nof es nogg uspstf iscd who iv po sq sc im qd bid tid mg kg cm iu ml dl ng
    pg nmol mmol ul pm am md er ed icu yo yr yrs hx fx fxs pt pts dx tx rx sx vs bp y/o f m lt rt ls fn th ts
    diagnosis prognosis osteoporosis osteopenia mg/day iu/day t z sd""".split()
)


@dataclass(frozen=True)
class SetAside:
    words: str  # the user's words
    why: str  # why they were not used, in plain words

    def as_dict(self) -> dict[str, str]:
        return {"words": self.words, "why": self.why}


@dataclass
class ReadAs:
    """What one message was read as: the facts used, the words set aside (and why), and clinical words the
    assistant did not understand or does not use."""

    used: list[str] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    not_used: list[str] = field(default_factory=list)  # other clinical topics, recognised and left out
    not_understood: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing was read, set aside or left not understood."""
        return not (self.used or self.set_aside or self.not_used or self.not_understood)

    def line(self) -> str:
        w = wording()["heads"]
        parts = [f"{w['used']}: {'; '.join(self.used)}." if self.used else w["nothing"] + "."]
        if self.set_aside:
            items = ", ".join(f"'{s.words}' ({s.why})" for s in self.set_aside)
            parts.append(f"{w['set_aside']}: {items}.")
        if self.not_used:
            parts.append(f"{w['not_used']}: {', '.join(repr_words(x) for x in self.not_used)}.")
        if self.not_understood:
            parts.append(f"{w['not_understood']}: {', '.join(repr_words(x) for x in self.not_understood)}.")
        return " ".join(parts)

    def markdown_line(self) -> str:
        """The line for a Markdown answer: the user's words cannot format it."""
        return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", self.line())

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line(),
            "used": list(self.used),
            "set_aside": [s.as_dict() for s in self.set_aside],
            "not_used": list(self.not_used),
            "not_understood": list(self.not_understood),
        }


def repr_words(text: str) -> str:
    return f"'{text}'"


@lru_cache(maxsize=1)
def wording() -> dict[str, dict[str, str]]:
    raw = read_yaml(WORDING_PATH)
    return {k: {str(kk): str(vv) for kk, vv in v.items()} for k, v in raw.items()}


def build_read_as(parsed: Parsed) -> ReadAs:
    """The "Read as" of one parsed message."""
    w = wording()
    out = ReadAs(used=used_words(parsed.facts))
    if parsed.relabel_fracture is not None:  # (the fracture moves if one is at the denied site, else the score)
        old, new = parsed.relabel_fracture
        out.used.insert(0, w["heads"]["relabel_fracture"].format(site=new.value, was=old.value))
    elif parsed.relabel_site is not None:
        out.used.insert(0, w["heads"]["relabel"].format(site=SITE_WORDS[parsed.relabel_site]))
    # (a denied fracture withdraws its sites too: "no prior fracture" says so itself)
    retracted = [p for p in parsed.retract
                 if not (p == "fracture_sites" and parsed.facts.prior_fragility_fracture is False)]
    if retracted:
        taken = list(dict.fromkeys(_retracted(path) for path in retracted))
        out.used.insert(0, w["heads"]["retract"].format(what=", ".join(taken)))
    seen: set[tuple[str, str]] = set()

    def aside(words: str, why: str) -> None:
        if retracted and why == w["why"]["withdrawn"]:  # said once, by "taken back: ..."
            return
        words = " ".join(words.split())[:MAX_WORDS]
        if words and (words.lower(), why) not in seen:
            seen.add((words.lower(), why))
            out.set_aside.append(SetAside(words, why))

    f = parsed.facts
    parental = f.sources.get("conditions.parental_hip_fracture")  # where the parent's hip fracture was said
    pieces: list[tuple[int, int, str]] = []  # (start, end, why) of mentions set aside, merged when adjacent
    for m in f.mentions:
        if m.category == "measurement" and m.concept == "earlier_score":
            aside(m.detail or m.span.text, w["why"]["earlier"])
        elif m.category == "fracture" and m.detail in ("traumatic", "childhood"):
            aside(m.span.text, w["why"][m.detail])
        elif m.concept == "local_glucocorticoid" and m.status is Status.AFFIRMED:
            aside(m.span.text, w["why"]["local_glucocorticoid"])
        elif m.status is Status.FAMILY:
            near_parent = parental is not None and m.category in ("fracture", "site") \
                and m.span.start < parental.end + 5 and parental.start - 5 < m.span.end
            if not near_parent:  # (the parent's hip fracture is a fact: it is in the used list)
                pieces.append((m.span.start, m.span.end, w["why"]["family"]))
        elif m.status is Status.HYPOTHETICAL and m.category not in ("domain", "drug_class"):
            pieces.append((m.span.start, m.span.end, why_words(m)))
    for start, end, why, alone_site in _merged(parsed.text, pieces, f):
        if not alone_site:  # (a site word alone states nothing: "hip" of "risk of hip fracture" is with its fracture)
            aside(parsed.text[start:end], why)
    for q in f.questions:
        aside(q.span.text if q.span else q.value, w["why"]["implausible"].format(reason=q.reason))
    for c in f.contradictions:
        texts = list(dict.fromkeys(s.text for s in c.spans))
        words = " / ".join(texts) if len(texts) > 1 else _field(c.field)
        values = [{"true": "yes", "false": "no"}.get(v, v) for v in c.values]
        aside(words, w["why"]["contradiction"].format(values=" and ".join(values)))
    if parsed.hypothetical is not None:
        for words in used_words(parsed.hypothetical):
            aside(words, w["why"]["what-if"])
    topics: list[str] = []
    for span in parsed.other_topics:
        if span.text.lower() not in (t.lower() for t in topics):
            topics.append(span.text)
    out.not_used = topics
    out.not_understood = not_understood(parsed)
    return out


def why_words(m: Mention) -> str:
    """Why a mention that is not affirmed was set aside, in plain words (the line and the facts panel)."""
    w = wording()["why"]
    if m.status is Status.FAMILY:
        return w["family"]
    why = m.why or "hypothetical"
    if why == "risk" and m.category in ("fracture", "site"):
        why = "risk_fracture"
    return w.get(why, w["hypothetical"])


JOINING = frozenset({"", "her", "his", "the", "a", "an", "of", "their"})  # words that join "broke her wrist"


def _merged(text: str, pieces: list[tuple[int, int, str]], f: Facts) -> list[tuple[int, int, str, bool]]:
    """Adjacent set-aside mentions with the same reason as one stretch of words ("wrist" + "fracture"), each
    with whether it is only a site word."""
    sites = {(m.span.start, m.span.end) for m in f.mentions if m.category == "site"}
    out: list[tuple[int, int, str, bool]] = []
    for start, end, why in sorted(pieces):
        between = text[out[-1][1] : start].split() if out else []
        if out and out[-1][2] == why and start >= out[-1][1] and all(w.strip("-") in JOINING for w in between):
            out[-1] = (out[-1][0], end, why, out[-1][3] and (start, end) in sites)
        else:
            out.append((start, end, why, (start, end) in sites))
    return out


def used_words(f: Facts) -> list[str]:
    """The facts of `f` in plain words, in the order a clinician gives them."""
    w = wording()
    out: list[str] = []
    who = [w["sex"][f.sex.value]] if f.sex is not None else []
    if f.age is not None:
        who.append(str(f.age) if who else f"age {f.age}")
    if who:
        out.append(", ".join(who))
    if f.menopause is not None:
        out.append(w["menopause"][f.menopause.value])
    for letter, scores, unsited in (("T", f.t_scores, f.t_score_unsited), ("Z", f.z_scores, f.z_score_unsited)):
        for site, value in scores.items():
            out.append(f"{letter}-score {num(value)} at the {SITE_WORDS[site]}")
        if unsited is not None:
            out.append(f"{letter}-score {num(unsited)} (site not given)")
    if f.frax is not None:
        bits = [f"major {num(f.frax.major)}%" if f.frax.major is not None else "",
                f"hip {num(f.frax.hip)}%" if f.frax.hip is not None else ""]
        out.append("FRAX " + ", ".join(b for b in bits if b))
    if f.prior_fragility_fracture is True:
        sites = ", ".join(w["fracture_sites"][s.value] for s in f.fracture_sites)
        out.append("prior fragility fracture" + (f" ({sites})" if sites else ""))
    elif f.prior_fragility_fracture is False:
        out.append("no prior fracture")
    if f.glucocorticoids is not None:
        if f.glucocorticoids:
            dose = f", {num(f.glucocorticoid_dose_mg)} mg/day" if f.glucocorticoid_dose_mg is not None else ""
            months = f", {num(f.glucocorticoid_months)} months" if f.glucocorticoid_months is not None else ""
            out.append(f"glucocorticoids{dose}{months}")
        else:
            out.append("no glucocorticoids")
    if f.egfr is not None:
        out.append(f"{'CrCl' if f.egfr_is_crcl else 'eGFR'} {num(f.egfr)}")
    if f.ckd_stage is not None:
        out.append(f"CKD stage {f.ckd_stage}")
    units = {"vitamin_d": " ng/mL", "calcium": " mg/dL", "pth": "", "tsh": "", "alkaline_phosphatase": " U/L",
             "weight_kg": " kg", "height_cm": " cm", "bmi": " kg/m2"}
    for name, unit in units.items():
        value = getattr(f, name)
        if value is not None:
            out.append(f"{FIELD_WORDS[name]} {num(value)}{unit}")
    statuses = wording()["medication_status"]
    for med in f.medications:
        bits = [statuses.get(med.status.value, med.status.value)]
        if med.years is not None:
            bits.append(f"{num(med.years)} years")
        if med.since is not None:
            bits.append(f"since {med.since}")
        if med.last is not None:
            bits.append(f"last {med.last}")
        if med.months_since_last is not None:
            bits.append(f"last dose {num(med.months_since_last)} months ago")
        out.append(f"{med.name.replace('_', ' ')} ({', '.join(bits)})")
    names = condition_vocabulary()
    for key, value in f.conditions.items():
        if key in ("ckd",) and f.ckd_stage is not None and value:
            continue  # "CKD stage 4" says it
        words = names.get(key, key.replace("_", " "))
        out.append(words if value else f"no {words}")
    return out


def _retracted(path: str) -> str:
    """A withdrawn fact path in words ("medications.alendronate" -> "alendronate")."""
    head, _, tail = path.partition(".")
    if head == "medications" and tail:
        return tail.replace("_", " ")
    if head == "conditions" and tail:
        return condition_vocabulary().get(tail, tail.replace("_", " "))
    if head in ("prior_fragility_fracture", "fracture_sites"):
        return "the prior fracture"
    if head.startswith("glucocorticoid"):
        return "glucocorticoids"
    if head in ("t_scores", "t_score_unsited"):
        return "the T-scores" if not tail else _field(path)
    if head in ("z_scores", "z_score_unsited"):
        return "the Z-scores" if not tail else _field(path)
    if head == "medications":
        return "the osteoporosis drugs"
    return _field(path)


def _field(path: str) -> str:
    head, _, tail = path.partition(".")
    if head in ("t_scores", "z_scores") and tail:
        return f"{'T' if head == 't_scores' else 'Z'}-score at the {SITE_WORDS[Site(tail)]}"
    return FIELD_WORDS.get(path, path.replace("_", " "))


def not_understood(parsed: Parsed) -> list[str]:
    """Clinical-looking words (abbreviations in capitals, words with clinical endings) that no reader used."""
    text = parsed.text
    f = parsed.facts
    covered: list[tuple[int, int]] = [(m.span.start, m.span.end) for m in f.mentions]
    covered += [(s.start, s.end) for s in f.sources.values()]
    covered += [(m.span.start, m.span.end) for m in f.medications if m.span is not None]
    covered += [(q.span.start, q.span.end) for q in f.questions if q.span is not None]
    covered += [(s.start, s.end) for s in parsed.other_topics]
    if parsed.hypothetical is not None:
        covered += [(s.start, s.end) for s in parsed.hypothetical.sources.values()]
    out: list[str] = []
    for pattern in (_ABBREVIATION, _CLINICAL_ENDING):
        for m in pattern.finditer(text):
            word = m.group()
            if word.lower() in KNOWN_WORDS or word.lower().rstrip("s") in KNOWN_WORDS:
                continue
            if any(a <= m.start() < b or a < m.end() <= b for a, b in covered):
                continue
            if word not in out:
                out.append(word)
    return out[:8]


def span_words(span: Span | None) -> str:
    return span.text if span is not None else ""
