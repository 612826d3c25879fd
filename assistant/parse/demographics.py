"""Who the patient is: age, sex and menopausal status."""

from __future__ import annotations

import re
from operator import itemgetter

from assistant.parse.found import Doubt, Found, Reading
from assistant.parse.normalise import Token, all_present

AGE_MIN, AGE_MAX = 1, 120  # plausible ages, years

_N = r"(?<![\w.\-])(?P<n>\d{1,3})"
_POPULATION = r"(?!\s*(?:\+|(?:years?\s+)?(?:and|or)\s+(?:over|older|above|up|more|greater)))"
# Each pattern is compiled behind a look-ahead for the characters its matches can start with (the same
# matches: a search then tries the pattern only where one of them is).
_NOT_AN_AGE_AFTER = (  # "I'm 5 months post", "she is 10 years out from her fracture"
    r"(?![\d%]|\.\d)(?!\s*(?:%|mg|kg|cm|lb|iu|ng|nmol|ml|units?|months?|weeks?|days?|times|"
    r"(?:years?|yrs?)\s+(?:post|since|after|ago|on|out|from|past|into|with|of\s+(?!age))))"
)
_BARE_N = _N[len(r"(?<![\w.\-])") :]
AGE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(first + p)
    for first, p in zip((r"(?=\d)", r"(?=\d)", r"(?=\d)", r"(?=a)", r"(?=[shp])", r"(?=[im])", r"(?=[mr])",
                         r"(?=[pwflgm])", r"(?=[\dacp~])", r"(?=[n,;])", r"(?=\d)", r"(?=[fm])"), (
        _N + r"\s*-?\s*(?:years?|yrs?|yr|y)\s*-?\s*old\b",  # 67-year-old, 67 yr old, 22-year-old's
        # 67 y/o, 67yo, 67 yof, 63yoF (year-old female), 70 yowm; "70 yr F" (years, then the sex)
        _N + r"\s*-?\s*(?:(?:y/o|y\.o\.?|yo|y-o)(?:w?(?P<sex>[fm]))?(?![a-z])|(?<=\d\d)\s*(?:yrs?|years?)\s*,?\s*"
        r"(?=[fm](?![\w/'])))",
        _N + r"\s*-?\s*(?:years?|yrs?)\s+of\s+age\b",  # 67 years of age
        # ("at age 32": when something happened, not how old the patient is)
        r"(?<!\bat )(?<!\bfrom )(?<!\bsince )\b(?:aged|age)\s*(?:[:=]|of|is|was)?\s*"
        + _N[len(r"(?<![\w.\-])") :] + r"(?!\d|\.\d)" + _POPULATION,
        r"\b(?:she|he|patient|pt)\s*(?:is|'s|was|turned|turns)\s+(?:now\s+|a\s+)?" + _BARE_N
        + _NOT_AN_AGE_AFTER + _POPULATION,
        # the patient writing, or writing for a relative: "I'm 61", "I am a 66", "my husband is 72"
        r"(?:\b(?:i'm|i\s+am|im)|\bmy\s+(?:mom|mother|mum|dad|father|husband|wife|partner|grandmother|aunt)\s+"
        r"(?:is|was|turned|turns))\s+(?:now\s+|just\s+|a\s+)?" + _BARE_N + _NOT_AN_AGE_AFTER + _POPULATION,
        # a letter's patient: "Mrs. Lee (71)", "Mr Brown, 67,", "Re: John Smith, 73."
        r"(?:\b(?:mrs|mr|ms|miss)\b\.?|^\W*re\s*:)\s*(?:[a-z'-]+\s+){0,2}?[a-z'-]+\s*"
        r"(?:\(\s*(?P<n>\d{2,3})\s*\)|,\s*(?P<n2>\d{2,3})(?=\s*(?:[.,;)]|$))|\s+is\s+(?:now\s+)?(?P<n3>\d{2,3})"
        + _NOT_AN_AGE_AFTER + ")",
        # a list item or a note's first words: "PMW, 62", "woman, 84", "female: 70"
        r"(?<![\w/'.-])(?:pmw|woman|female|lady|gentleman|male|man)(?:\s+(?:pt|patient))?(?:\s*[,:]|\s+of)\s*"
        r"(?P<n>\d{2,3})"
        r"(?![\w/:-])"
        + _NOT_AN_AGE_AFTER,
        # "About 70, female", "70, F" at the start of a note
        r"(?:^\W*|\b(?:about|approx\.?|approximately|around|circa|ca\.?)\s+|~\s*)(?P<n>\d{2,3})(?![\d.])"
        + r"\s*,\s*(?:(?P<sex>[fm])\b|female|male|woman|man|lady)",
        # "Post-menopausal since 2010, now 62": "now" and a whole number as a note's own item
        r"(?:^\W*|[,;]\s*)now\s+(?:aged\s+)?(?P<n>\d{2,3})(?=\s*(?:[,;]|\.(?!\d)|$|y/?o\b|years?\b))",
        r"(?<![\w.\-/])(?P<n>\d{2,3})\s?(?P<sex>[fm])(?![\w/'])",  # 67F, 67 M
        # "F 67", "M72" at the start of a note or of a comma-separated item (checked in _sex_age_ok)
        r"(?<![\w/'.-])(?P<sex>[fm])\s?/?\s?(?P<n>\d{2,3})(?![\w.%/-]|:\d)(?!\s*(?:mg|kg|cm|%|years?|yrs?))",
    ), strict=True)
)
# What every match of the pattern at the same place in AGE_PATTERNS contains: a string of each group of
# words, and a match of the short pattern (when there is one); a pattern whose gate fails is not searched.
AGE_GATES: tuple[tuple[tuple[tuple[str, ...], ...], re.Pattern[str] | None], ...] = (
    ((("old",),), None),
    ((("y/o", "y.o", "yo", "y-o", "yr", "year"),), None),
    ((("age",),), None),
    ((("age",),), None),
    ((("he", "pt", "patient"), ("is", "'s", "was", "turn")), None),
    ((("i'm", "i am", "im ", "my "),), None),
    ((("mr", "ms", "miss", "re"),), None),
    ((("pmw", "woman", "female", "lady", "gentleman", "male", "man"),), None),
    ((), re.compile(r"\d\s*,\s*[fmwl]")),
    ((("now",),), None),
    ((), re.compile(r"\d\s?[fm]")),
    ((), re.compile(r"[fm]\s?/?\s?\d")),
)
SEX_AGE_BEFORE = re.compile(r"(?:^\W*|[,;(*|\u2022-]\s*|\bpt\s+)$")  # what may come before "F 67"
AGE_YO = AGE_PATTERNS[1]  # "67 y/o", "70 yr F"
YEARS_TAIL = re.compile(r"(?:yrs?|years?)\s*,?\s*$")  # the "70 yr F" form of AGE_YO
AGE_WORD = AGE_PATTERNS[3]  # "age 67", "aged 67"
NOW_AGE = AGE_PATTERNS[-3]  # "..., now 62"
VALUE_BEFORE = re.compile(r"(?<![\d])(?!(?:19|20)\d\d\b)\d+(?:\.\d+)?\s*%?\s*$")  # a value, not a year
# an event just before "age 40" ("fracture in a skiing accident age 40"): the age it happened at
WHEN_BEFORE = re.compile(
    r"\b(?:fractur\w*|fx|accident|injur\w*|fell|fall|broke|diagnos\w*|surgery|menopause|menarche|hysterectomy)"
    r"\b[^,;.:]{0,30}$"
)
AGE_SEX = AGE_PATTERNS[-2]
SEX_AGE = AGE_PATTERNS[-1]
SEX_AFTER_AGE = re.compile(r"\s*,?\s*(?P<sex>[fm])(?![\w/'])")

FEMALE_WORDS = frozenset(
    {"woman", "women", "lady", "ladies", "female", "females", "femal", "girl", "mrs", "ms", "wife", "pmw",
     "\u2640"}  # female sign
)
MALE_WORDS = frozenset({"man", "men", "male", "males", "gentleman", "gentlemen", "boy", "guy", "mr", "husband",
                        "\u2642"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
PLURALS = frozenset({"women", "ladies", "females", "men", "males", "gentlemen"})
SEX_WORDS = FEMALE_WORDS | MALE_WORDS | FEMALE_PRONOUNS | MALE_PRONOUNS  # one look-up per token
_TEXT = itemgetter(2)  # a token's text

_PEOPLE = (
    r"(?:(?:post|pre|peri)[\s-]?menopausal\s+)?(?:women|woman|females?|men|man|males?|adults?|patients?|people|"
    r"persons?|individuals?)"
)
# "a postmenopausal woman or a man over 50", "women and older adults", "his or her" (every match has "or",
# "and", "/" or "&")
COORDINATED = re.compile(  # (the look-ahead: the letters a match can start with)
    r"(?=[pwfmaihs])(?:"
    r"\b" + _PEOPLE + r"\s*,?\s*(?:or|and|/|&)\s*(?:an?\s+)?(?:older|elderly|younger|ageing|aging)?\s*" + _PEOPLE
    + r"\b|\b(?:he|she|his|her|him)\s*(?:/|or|and)\s*(?:he|she|his|her|him)\b)"
)

MENOPAUSE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (value, re.compile(p))
    for value, p in (
        ("pre", r"\bnot\s+(?:yet\s+)?(?:post[\s-]?menopaus\w*|(?:through|in|past)\s+(?:the\s+)?menopause|menopausal)"),
        ("pre", r"\bpre[\s-]?menopaus\w*|\bbefore\s+(?:the\s+)?menopause\b|\b(?:still\s+)?menstruating\b|"
         r"\bstill\s+(?:having|has|gets|getting)\s+(?:her\s+|my\s+)?(?:regular\s+)?(?:periods|menses|cycles)\b|"
         r"\b(?:regular|normal|monthly)\s+(?:menses|menstrual\s+(?:periods|cycles?)|periods|cycles)\b|"
         r"\bmenses\s+(?:are\s+)?regular\b|\blmp\b\s*:?\s*(?:was\s+)?(?:\d{1,2}|one|two|three|a)\s+(?:weeks?|days?)\s+ago\b|"
         r"\blast\s+menstrual\s+period\b\s*:?\s*(?:was\s+)?(?:\d{1,2}|one|two|three|a)\s+(?:weeks?|days?)\s+ago\b"),
        ("peri", r"\bperi[\s-]?menopaus\w*|\bmenopausal\s+transition\b"),
        ("post", r"\bpost[\s-]?menopaus\w*|\bafter\s+(?:the\s+)?menopause\b|\bpast\s+(?:the\s+)?menopause\b|"
         r"\bwent\s+through\s+(?:the\s+)?menopause\b|\bsince\s+menopause\b|\bmenopausal\s+(?:woman|women|female)\b|"
         r"\b(?:surgical|early|premature)\s+menopause\b|\bmenopause\s+at\b|\bpmw\b|"
         # the last period a year or more ago: "LMP 4 years ago", "no periods for 3 years"
         r"\bmenopause\s+(?:\d{1,2}|one|two|three|four|five|six|ten|a)\s+(?:years?|yrs?)\s+ago\b|"
         r"\b(?:lmp|last\s+menstrual\s+period)\b\s*:?\s*(?:was\s+)?(?:\d{1,2}|one|two|three|four|five|a)\s+"
         r"(?:years?|yrs?)\s+ago\b|\bno\s+(?:menstrual\s+)?(?:periods|menses)\s+(?:for|in|since)\b"),
    )
)


_DIGIT = re.compile(r"\d")


# An age in words: "a seventy-two year old woman", "sixty five yo"
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
WORD_AGE = re.compile(
    r"\b(?P<tens>" + "|".join(TENS) + r")(?:[\s-]+(?P<unit>" + "|".join(UNITS) + r"))?"
    r"[\s-]*(?:(?:years?|yrs?|yr)[\s-]*old\b|y/o\b|yo\b)"
)


def _read_word_age(text: str, r: Reading) -> None:
    for m in WORD_AGE.finditer(text):
        n = TENS[m.group("tens")] + (UNITS[m.group("unit")] if m.group("unit") else 0)
        r.found.append(Found("age", n, m.start(), m.end()))
        r.consumed.append(m.span())


def read_age(text: str, r: Reading | None = None) -> Reading:
    if r is None:
        r = Reading()
    if "ty" in text:  # (every tens word ends so)
        _read_word_age(text, r)
    if not _DIGIT.search(text):
        return r  # every other age pattern has a number
    taken: list[tuple[int, int]] = []
    for pat, (groups, quick) in zip(AGE_PATTERNS, AGE_GATES, strict=True):
        if not all_present(groups, text):
            continue
        if quick is not None and quick.search(text) is None:
            continue
        for m in pat.finditer(text):
            s, e = m.span()
            if pat is SEX_AGE:
                s = m.start("sex")
            if any(s < b and a < e for a, b in taken):
                continue
            if pat is AGE_SEX and not _age_sex_ok(text, m):
                continue
            if pat is AGE_YO and YEARS_TAIL.search(m.group()) and _DOSE_BEFORE.search(text, max(0, s - 8), s):
                continue  # "for 10 years, m...": a duration, not "70 yr F"
            if pat is SEX_AGE and not SEX_AGE_BEFORE.search(text, 0, s):
                continue
            group = "n" if m.group("n") is not None else ("n2" if m.groupdict().get("n2") is not None else "n3")
            if pat is NOW_AGE and VALUE_BEFORE.search(text, max(0, s - 12), s):
                continue  # "eGFR 30, now 45": the measure's new value, not an age (a year before is fine)
            if pat is AGE_WORD and WHEN_BEFORE.search(text, max(0, s - 50), s):
                continue  # "ankle fracture in a skiing accident age 40": when it happened
            taken.append((s, e))
            n = int(m.group(group))
            r.consumed.append((s, e))
            if not AGE_MIN <= n <= AGE_MAX:
                r.doubts.append(Doubt("age", str(n), f"an age should be {AGE_MIN} to {AGE_MAX} years", s, e))
                continue
            r.found.append(Found("age", n, s, e))
            sex = m.groupdict().get("sex")
            if sex is None:
                after = SEX_AFTER_AGE.match(text, e)
                if after is not None:
                    sex = after.group("sex")
                    e = after.end()
            if sex:
                r.found.append(Found("sex", "female" if sex == "f" else "male", s, e, detail="age-sex"))
    return r




SEX_LABEL = re.compile(r"\b(?:sex|gender)\s*[:=]?\s*(?P<sex>f|m|female|male)\b")
_DOSE_BEFORE = re.compile(r"(?:\bx|\bfor|\bover|\*|×)\s*$")


def _age_sex_ok(text: str, m: re.Match[str]) -> bool:
    """ "67F" / "67 M": not a dose or duration ("x 10 m"), not inside a longer token."""
    before = text[max(0, m.start() - 6) : m.start()]
    return m.group("sex") == "f" or not _DOSE_BEFORE.search(before)  # ("for 68F": no time unit is "f")


def read_sex(tokens: list[Token], text: str, skip: list[tuple[int, int]], r: Reading | None = None) -> Reading:
    """Sex from nouns and pronouns; None when the text names both sexes as alternatives or groups."""
    if r is None:
        r = Reading()
    female: list[Token] = []
    male: list[Token] = []
    plural = False
    if "sex" in text or "gender" in text:
        for m in SEX_LABEL.finditer(text):  # a form's field: "Sex: F", "Gender M"
            r.found.append(Found("sex", "female" if m.group("sex")[0] == "f" else "male", m.start(), m.end()))
    if SEX_WORDS.isdisjoint(map(_TEXT, tokens)):
        return r  # no word naming a sex
    for t in tokens:
        w = t.text
        if w in SEX_WORDS:
            if (w in FEMALE_PRONOUNS or w in MALE_PRONOUNS) and any(a <= t.start < b for a, b in skip):
                continue  # pronouns inside a what-if name the patient, not the what-if
            (female if w in FEMALE_WORDS or w in FEMALE_PRONOUNS else male).append(t)
            plural = plural or w in PLURALS
    if not female and not male:
        return r
    coordinated = ("or" in text or "and" in text or "/" in text or "&" in text) and COORDINATED.search(text)
    if (coordinated and _mixed_coordination(text)) or (female and male and plural):
        # alternatives or populations of both sexes ("a postmenopausal woman or a man over 50")
        first = (female + male)[0]
        r.found.append(Found("_sex_ambiguous", True, first.start, first.end))
        return r
    for t in female:
        r.found.append(Found("sex", "female", t.start, t.end))
    for t in male:
        r.found.append(Found("sex", "male", t.start, t.end))
    return r


_FEMALE_IN = re.compile(r"women|woman|female|\bshe\b|\bher\b|menopausal")
_MALE_IN = re.compile(r"\bmen\b|\bman\b|\bmales?\b|\bhe\b|\bhis\b|\bhim\b")
_GENERIC_IN = re.compile(r"adult|patient|people|person|individual")


def _mixed_coordination(text: str) -> bool:
    for m in COORDINATED.finditer(text):
        g = m.group()
        f, male, generic = bool(_FEMALE_IN.search(g)), bool(_MALE_IN.search(g)), bool(_GENERIC_IN.search(g))
        if (f and male) or ((f or male) and generic):
            return True
    return False


def read_menopause(text: str, r: Reading | None = None) -> Reading:
    if r is None:
        r = Reading()
    if "menopaus" not in text and "menstru" not in text and "mens" not in text and "period" not in text \
            and "cycle" not in text and "lmp" not in text and "pmw" not in text:
        return r  # every menopause pattern has one of these words
    taken: list[tuple[int, int]] = []
    for value, pat in MENOPAUSE_PATTERNS:
        for m in pat.finditer(text):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            taken.append((s, e))
            r.found.append(Found("menopause", value, s, e))
    return r
