"""Concept mentions, in context, to facts: conditions, fractures, glucocorticoids, drugs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.facts import Status
from assistant.parse.context import Context
from assistant.parse.found import Found, Reading
from assistant.parse.lexicon import Match
from assistant.parse.normalise import Token

# Status members read once (an enum member look-up costs ~100 ns on Python 3.11)
AFFIRMED, FAMILY, HISTORICAL = Status.AFFIRMED, Status.FAMILY, Status.HISTORICAL
HYPOTHETICAL, NEGATED = Status.HYPOTHETICAL, Status.NEGATED
# Condition concepts that also name a fracture event ("a current fracture").
FRACTURE_EVENT_CONDITIONS = frozenset({"recent_fracture", "multiple_fractures", "fracture_on_therapy"})
FRACTURE_WINDOW_BEFORE = 5  # tokens before a fracture word searched for its site ("hip and wrist fractures")
FRACTURE_WINDOW_AFTER = 4  # "fracture of the left hip"
# words between a fracture word and its FRAX value ("hip fracture risk: 2.8%")
FRAX_LABEL_GAP = frozenset({":", "=", "risk", "probability", "of", "is", "(", "-", "frax", "10-year", "10", "year"})
# "a fracture in the past year", "fractured her wrist 6 months ago": recent (the AACE list counts a fracture in
# the past 12 months, so "in the past 2 years" is not recent; a count of months is not checked against 12 here)
RECENT_AFTER = re.compile(
    r"\W*(?:\w+\s+){0,4}?(?:in|within|during|over)\s+the\s+(?:past|last|previous)\s+(?:year|12\s*months|"
    r"(?:few|\d{1,2})\s*months|1\s*year)\b|\W*(?:\w+\s+){0,4}?(?:last|this)\s+(?:year|month|spring|"
    r"summer|autumn|fall|winter)\b|\W*(?:\w+\s+){0,4}?(?:\d{1,2}|a|few|several|two|three|six)\s+(?:weeks?|months?)\s+ago\b"
)
# "a vertebral fracture while on alendronate", "fractured despite denosumab": a fracture on therapy
ON_THERAPY_AFTER = re.compile(
    r"\W*(?:\w+\s+){0,5}?(?:while|whilst)\s+(?:on|taking|receiving)\b|\W*(?:\w+\s+){0,5}?despite\s+(?:\w+\s+){0,2}?"
    r"(?:alendronate|risedronate|ibandronate|zoledron\w*|denosumab|prolia|fosamax|actonel|boniva|reclast|"
    r"bisphosphonates?|treatment|therapy)\b"
    # "2 vertebral fractures in the last 12 months on Fosamax" (no comma, no "now/then/and" before the drug)
    r"|\s+(?:(?!now\b|currently\b|and\b|then\b|started\b|since\b|but\b|before\b|after\b)\w+\s+){0,5}?on\s+"
    r"(?:alendronate|risedronate|ibandronate|zoledron\w*|denosumab|prolia|fosamax|actonel|boniva|reclast|"
    r"bisphosphonates?)\b"
)
AFTER_GAP = frozenset({"of", "the", "her", "his", "left", "right", "l", "r", "a", "in", "to"})
RECENT = frozenset({"recent", "current", "acute", "new", "fresh", "newly"})
# "she just broke her hip", "has just had a hip fracture": a fracture that just happened (not "just one fracture")
JUST_HAPPENED = re.compile(r"\bjust\s+(?:broke|broken|fractured|had|sustained|suffered)\b(?:\s+[\w-]+){0,3}$")
MULTIPLE = frozenset({"multiple", "several", "two", "three", "recurrent", "many"})
PATIENT_USE = re.compile(
    r"\b(?:on|taking|takes|took|received|receiving|receives|using|uses|started|starting|been on|treated with|tx|rx|"
    r"after|had|given|prescribed|currently|continue|continuing|stay on|remain on|injections? of|infusions? of|"
    r"despite)\s+"
    r"(?:\w+\s+){0,3}$"
)
DRUG_YEARS_AFTER = re.compile(
    r"\W{0,3}(?:\([^()]{0,40}\)\s*)?"
    r"(?:\d+(?:\.\d+)?\s*mg\s*(?:/\s*(?:week|wk|day|d)\s*|once\s+)?(?:weekly|daily|monthly|qw|qwk|qd|od|po|orally)?\s*)?"
    r"(?:therapy|treatment|injections?|infusions?|use)?\s*(?:for|x|×|over)?\s*"
    r"(?:about|almost|nearly|approximately|approx\.?|around|over|more than|the\s+(?:past|last))?\s*"
    r"(?P<n>\d+(?:\.\d+)?)\s*-?\s*(?P<u>years?|yrs?|y|months?|mos?)\b"
)
DRUG_YEARS_BEFORE = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)\s*-?\s*(?P<u>years?|yrs?|months?|mos?)\s+(?:of|on)\s+(?:\w+\s+){0,1}$"
)
AGO_NEXT = re.compile(r"\s+ago\b")
RECENT_WINDOW = re.compile(r"\b(?:in|within|during|over)\s+the\s+(?:last|past|previous)\s*$")
DRUG_SINCE = re.compile(
    r"\W{0,3}(?:\([^()]{0,40}\)\s*)?(?:since|from|started(?:\s+in)?)\s+(?:\w+\s+)?(?P<y>(?:19|20)\d\d)\b"
)
DRUG_LAST_AFTER = re.compile(
    r"\W{0,3}(?:\([^()]{0,40}\)\s*)?(?:was\s+)?(?:last\s+)(?:given|dose|infusion|injection|received)?\s*"
    r"(?:was\s+)?(?:in\s+)?(?:\w+\s+)?(?P<y>(?:19|20)\d\d)\b"
)
DRUG_LAST_BEFORE = re.compile(r"\blast\s+(?:dose\s+of\s+|infusion\s+of\s+|injection\s+of\s+)?$")
DRUG_YEARS_SPAN = re.compile(
    r"\W{0,3}(?:\([^()]{0,40}\)\s*)?(?:from\s+|in\s+)?(?P<a>(?:19|20)\d\d)\s*(?:-|to|until|till)\s*(?P<b>(?:19|20)\d\d)\b"
)
# "Prolia, last dose 9 mo ago", "last shot was 10 months ago", "last infusion 2 years ago"
_AGO = (r"(?P<n>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*-?\s*"
        r"(?P<u>years?|yrs?|y|months?|mos?|mo|weeks?|wks?)\s+ago\b")
DRUG_AGO_AFTER = re.compile(
    r"[^.?!]{0,30}?\b(?:last|latest|most\s+recent|final)\s+(?:\w+\s+){0,2}?"
    r"(?:was\s+|given\s+|received\s+|about\s+|approximately\s+|~\s*)*" + _AGO
)
DRUG_AGO_BEFORE = re.compile(
    r"\b(?:last|latest|most\s+recent|final)\s+(?:dose|shot|injection|infusion|jab)\s+of\s+$"
)
AGO_AFTER = re.compile(r"\W{0,3}(?:\([^()]{0,40}\)\s*)?(?:(?:dose|shot|injection|infusion|jab)\s+)?"
                       r"(?:was\s+|given\s+)?(?:about\s+)?" + _AGO)
DRUG_DECADES = re.compile(r"\W{0,3}(?:for|over)\s+(?:the\s+(?:past|last)\s+)?(?P<n>a|one|two|three)\s+decades?\b")
WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
AFTER_YEARS = re.compile(
    r"\b(?:after|following|despite|with)\s+(?:about\s+|over\s+)?\d+(?:\.\d+)?\s*-?\s*(?:years?|yrs?|months?|mos?)\s+"
    r"(?:of|on)\s+(?:\w+\s+)?$"
)
ON_IT = re.compile(
    r"\b(?:been|is|was|currently|still)\s+on\s+(?:it|this|that|them|the\s+drug|the\s+medication)\s+"
    r"(?:for\s+|x\s*)?(?:about\s+|almost\s+|over\s+)?(?P<n>\d+(?:\.\d+)?)\s*-?\s*(?P<u>years?|yrs?|months?|mos?)\b"
)
YEAR_AFTER = re.compile(r"\W{0,3}(?:\([^()]{0,40}\)\s*)?(?:was\s+|given\s+|in\s+)*(?P<y>(?:19|20)\d\d)\b")


@dataclass(slots=True)
class Med:
    name: str
    status: Status
    start: int
    end: int
    years: float | None = None
    since: int | None = None
    last: int | None = None
    months_since_last: float | None = None


def read_mentions(
    text: str, tokens: list[Token], matches: list[Match], ctx: Context, r: Reading | None = None
) -> tuple[Reading, list[Med], list[tuple[Match, Status, bool, bool]]]:
    """Facts from concept mentions. Returns the reading, medications, and (match, status) pairs."""
    if r is None:
        r = Reading()
    meds: list[Med] = []
    statuses: list[tuple[Match, Status, bool, bool]] = []
    for m in matches:
        status, negated, whatif, parent = ctx.status(m.i, m.j, m.concept.id)
        statuses.append((m, status, whatif, negated))
        c = m.concept
        hypo = "?" if whatif else ""
        if c.category in ("diagnosis", "condition") and c.condition:
            if c.id in FRACTURE_EVENT_CONDITIONS:
                continue  # read with the fractures below
            if c.id == "hrt" and status in (AFFIRMED, HISTORICAL):
                r.found.append(Found(hypo + "menopause", "post", m.start, m.end, detail="hrt"))
            if c.category == "diagnosis" and status is AFFIRMED and _queried(text, m):
                statuses[-1] = (m, HYPOTHETICAL, whatif, negated)
                continue  # "Osteoporosis? 64F ...", "?osteopenia": asked about, not stated
            value = _truth(status, negated)
            if c.negative:  # "non-smoker": the term itself denies it; negated ("not a non-smoker") says nothing sure
                value = False if value is True else None
            if value is not None:
                r.found.append(Found(hypo + f"conditions.{c.condition}", value, m.start, m.end, policy="any_true"))
                for extra in c.also:  # "gastric bypass": also malabsorption
                    r.found.append(Found(hypo + f"conditions.{extra}", value, m.start, m.end, policy="any_true"))
        elif c.category == "glucocorticoid":
            value = _truth(status, negated)
            if value is not None:
                r.found.append(Found(hypo + "glucocorticoids", value, m.start, m.end, policy="any_true"))
        elif c.category == "drug" and not whatif:
            if status == HYPOTHETICAL and ctx.why(m.i, m.j, c.id) == "question":
                # "how long should she stay on alendronate? she has been on it for 5 years": the drug asked
                # about is hers when the text says so
                on_it = ON_IT.search(text, m.end)
                if on_it is not None:
                    meds.append(Med(c.id, AFFIRMED, m.start, m.end, years=_years(on_it.group("n"), on_it.group("u"))))
                    continue
            if status == HYPOTHETICAL:
                # "should she switch after 5 years of alendronate?": years of use said before the drug are a fact
                yb = DRUG_YEARS_BEFORE.search(text[max(0, m.start - 40) : m.start])
                if yb is not None and AFTER_YEARS.search(text[max(0, m.start - 60) : m.start]):
                    meds.append(Med(c.id, AFFIRMED, m.start, m.end, years=_years(yb.group("n"), yb.group("u"))))
                continue
            med = _medication(text, m, status)
            if med is not None:
                if meds and meds[-1].name == med.name and m.start - meds[-1].end < 30:
                    _merge(meds[-1], med)  # "Prolia (denosumab)"
                else:
                    meds.append(med)
    _fractures(text, tokens, matches, ctx, r)
    return r, meds, statuses


# A diagnosis asked about: "Osteoporosis? 64F with FN -2.0", "70M, osteopenia? no DXA yet" (the word is its
# clause, a "?" right after it), or "?osteoporosis" (the clinician's query mark, attached)
QUERY_AFTER = re.compile(r"\s*\?")
CLAUSE_START = re.compile(
    r"(?:^|[,;:.(\-*\u2022]|\b(?:and|or))\s*(?:(?:possible|probable|likely|suspected|early|mild|severe)\s+)?$"
)


def _queried(text: str, m: Match) -> bool:
    if m.start > 0 and text[m.start - 1] == "?" and (m.start == 1 or not text[m.start - 2].isalnum()):
        return True
    return QUERY_AFTER.match(text, m.end) is not None and CLAUSE_START.search(text, max(0, m.start - 40),
                                                                               m.start) is not None


def _truth(status: Status, negated: bool) -> bool | None:
    if status in (AFFIRMED, HISTORICAL):
        return True
    if status == NEGATED:
        return False
    return None


def _merge(a: Med, b: Med) -> None:
    a.end = max(a.end, b.end)
    a.years = a.years if a.years is not None else b.years
    a.since = a.since if a.since is not None else b.since
    a.last = a.last if a.last is not None else b.last
    a.months_since_last = a.months_since_last if a.months_since_last is not None else b.months_since_last


def _medication(text: str, m: Match, status: Status) -> Med | None:
    if status in (FAMILY, HYPOTHETICAL):
        return None
    med = Med(m.concept.id, status, m.start, m.end)
    after = text[m.end : m.end + 80]
    before = text[max(0, m.start - 40) : m.start]
    y = DRUG_YEARS_AFTER.match(after)
    if y is None:
        yb = DRUG_YEARS_BEFORE.search(before)
        # ("2 fractures in the last 12 months on Fosamax": when the fractures happened, not how long she took it)
        if yb is not None and not RECENT_WINDOW.search(before[: yb.start()]):
            med.years = _years(yb.group("n"), yb.group("u"))
    elif status == HISTORICAL and AGO_NEXT.match(after, y.end()):
        # "stopped denosumab 8 months ago": time since it stopped, so the last dose was at least that long ago
        # (a lower bound, never a duration of use); "started denosumab 8 months ago" stays a duration
        med.months_since_last = _months(y.group("n"), y.group("u"))
    else:
        med.years = _years(y.group("n"), y.group("u"))
    s = DRUG_SINCE.match(after)
    if s is not None:
        med.since = int(s.group("y"))
    span = DRUG_YEARS_SPAN.match(after)
    if span is not None and int(span.group("a")) <= int(span.group("b")):
        med.since, med.last = int(span.group("a")), int(span.group("b"))
        if med.years is None:
            med.years = float(med.last - med.since)
        if status == AFFIRMED:
            med.status = HISTORICAL  # "alendronate 2015-2020": taken then, stopped since
    last = DRUG_LAST_AFTER.match(after)
    if last is not None:
        med.last = int(last.group("y"))
    elif DRUG_LAST_BEFORE.search(before):
        ya = YEAR_AFTER.match(after)
        if ya is not None:
            med.last = int(ya.group("y"))
    if med.years is None:
        d = DRUG_DECADES.match(after)
        if d is not None:
            med.years = 10.0 * WORD_NUMBERS[d.group("n")]
    ago = DRUG_AGO_AFTER.match(after)
    if ago is None and (DRUG_AGO_BEFORE.search(before) or DRUG_LAST_BEFORE.search(before)):
        ago = AGO_AFTER.match(after)
    if ago is not None:
        med.months_since_last = _months(ago.group("n"), ago.group("u"))
    used = med.years is not None or med.since is not None or med.last is not None \
        or med.months_since_last is not None
    if status == AFFIRMED and not used and not PATIENT_USE.search(before):
        return None  # a drug named in the question, not one the patient takes
    return med


def _months(n: str, unit: str) -> float:
    v = float(WORD_NUMBERS.get(n, n) if not n[0].isdecimal() else n)
    if unit.startswith("y"):
        return v * 12.0
    if unit.startswith("w"):
        return round(v * 12.0 / 52.0, 1)
    return v


def _years(n: str, unit: str) -> float:
    v = float(n)
    return round(v / 12.0, 2) if unit.startswith("m") else v


def _fractures(text: str, tokens: list[Token], matches: list[Match], ctx: Context, r: Reading) -> None:
    heads = [m for m in matches if m.concept.category == "fracture" or m.concept.id in FRACTURE_EVENT_CONDITIONS]
    if not heads:
        return
    sites = [m for m in matches if m.concept.category == "site" and m.concept.fracture]
    head_starts = [h.i for h in heads]
    # sites a score was read at ("T-score -2.0 at the hip, wrist fracture"): measured there, not broken
    measured = [(x.start, x.end) for x in r.found if x.path.startswith(("t_scores.", "z_scores."))]
    if measured:
        sites = [s for s in sites if not any(a <= s.start < b for a, b in measured)]
    for h in heads:
        status, negated, whatif, parent = ctx.status(h.i, h.j, h.concept.id)
        # a site word before the fracture word may carry the context ("no hip fracture")
        near_sites = [
            s for s in sites
            if (h.i - FRACTURE_WINDOW_BEFORE <= s.i < h.i and not any(s.i < k < h.i for k in head_starts)
                and _no_break(tokens, s.j, h.i) and not _number_between(tokens, s.j, h.i))
            or (h.j <= s.i <= h.j + FRACTURE_WINDOW_AFTER and all(t.text in AFTER_GAP for t in tokens[h.j : s.i]))
        ]
        if near_sites and status == AFFIRMED:
            s_status, s_neg, s_whatif, s_parent = ctx.status(near_sites[0].i, near_sites[0].j, h.concept.id)
            if s_status != AFFIRMED:
                status, negated, whatif, parent = s_status, s_neg, s_whatif or whatif, s_parent or parent
        if _frax_label(tokens, h.j):
            continue  # "major osteoporotic fracture 12%": a FRAX label, not an event
        hypo = "?" if whatif else ""
        mechanism = ctx.mechanism(h.i, h.j)
        traumatic = mechanism in NOT_COUNTED
        if not traumatic:  # "fell from a ladder and broke her ankle": the site word may carry the scope
            mechanism = next((k for s in near_sites if (k := ctx.mechanism(s.i, s.j)) in NOT_COUNTED), mechanism)
            traumatic = mechanism in NOT_COUNTED \
                and ctx.mechanism(h.i, h.j) != "fragility"
        fsites = [s.concept.fracture for s in near_sites]
        if h.concept.fracture:  # a word that names the site too ("wedge deformity": vertebral)
            fsites.append(h.concept.fracture)
        if status == FAMILY:
            if parent and "hip" in fsites:
                r.found.append(Found(hypo + "conditions.parental_hip_fracture", not negated, h.start, h.end,
                                     policy="any_true"))
            continue
        if status == HYPOTHETICAL:
            continue
        if status == NEGATED:
            if not traumatic:
                # a denial naming no site ("no prior fracture") conflicts with any fracture; a denial
                # of one site ("no hip fracture") does not conflict with a wrist fracture
                detail = "site" if near_sites or h.concept.fracture else "any"
                r.found.append(Found(hypo + "prior_fragility_fracture", False, h.start, h.end, policy="fracture",
                                     detail=detail))
            continue
        if traumatic:
            r.extra_mentions.append(("fracture", "fracture", h.start, h.end, mechanism))
            continue
        r.found.append(Found(hypo + "prior_fragility_fracture", True, h.start, h.end, policy="fracture"))
        for s in near_sites:
            r.found.append(Found(hypo + "fracture_sites", s.concept.fracture, s.start, s.end, policy="collect"))
        if h.concept.fracture:
            r.found.append(Found(hypo + "fracture_sites", h.concept.fracture, h.start, h.end, policy="collect"))
        prev = {tokens[k].text for k in range(max(0, h.i - 3), h.i)}
        after = text[h.end : h.end + 60]
        if h.concept.id in FRACTURE_EVENT_CONDITIONS:
            r.found.append(Found(hypo + f"conditions.{h.concept.id}", True, h.start, h.end, policy="any_true"))
        elif prev & RECENT or RECENT_AFTER.match(after) or JUST_HAPPENED.search(text[max(0, h.start - 40) : h.end]):
            r.found.append(Found(hypo + "conditions.recent_fracture", True, h.start, h.end, policy="any_true"))
        if ON_THERAPY_AFTER.match(after):
            r.found.append(Found(hypo + "conditions.fracture_on_therapy", True, h.start, h.end, policy="any_true"))
        several = any(t.isdecimal() and 2 <= int(t) <= 20 for t in prev)  # "2 vertebral fractures"
        if prev & MULTIPLE or several or len({s.concept.fracture for s in near_sites}) > 1:
            r.found.append(Found(hypo + "conditions.multiple_fractures", True, h.start, h.end, policy="any_true"))


# how a fracture happened that keeps it from counting: trauma, or childhood (FRAX counts adult fractures)
NOT_COUNTED = frozenset({"traumatic", "childhood"})


def _frax_label(tokens: list[Token], j: int) -> bool:
    """ "major osteoporotic fracture 12%", "hip fracture risk: 2.8": the words name a FRAX value."""
    for k in range(j, min(len(tokens), j + 3)):
        t = tokens[k].text
        if t[0].isdecimal():
            percent = k + 1 < len(tokens) and tokens[k + 1].text == "%"
            return percent or "." in t
        if t not in FRAX_LABEL_GAP:
            return False  # "compression fracture and 30% height loss": another thing's number
    return False


def _number_between(tokens: list[Token], a: int, b: int) -> bool:
    """ "FN -2.3 prior wrist fx": a site with a value after it is a measurement, not the fracture's site."""
    return any(tokens[k].text[0].isdecimal() for k in range(a, b))


def _no_break(tokens: list[Token], a: int, b: int) -> bool:
    return not any(tokens[k].text in (".", ";", "?", "!") for k in range(a, b))
