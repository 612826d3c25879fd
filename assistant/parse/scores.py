"""T- and Z-scores by DXA site (paired lists, several values per site, left/right), and raw BMD."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.parse.found import Doubt, Found, Reading
from assistant.parse.lexicon import Match, score_categories
from assistant.parse.numbers import RUN_GAP, YEAR, Num, fmt, gap_words

# Plausible ranges: a value outside is asked back, never used.
T_SCORE_RANGE = (-7.0, 5.0)
Z_SCORE_RANGE = (-7.0, 5.0)
BMD_RANGE = (0.2, 2.0)  # g/cm2: a decimal right after "BMD" in this range is a raw BMD, not a score
BMD_BEFORE = re.compile(r"\bbmd\s*(?:[:=]|is|was|of)?\s*$")


def read_bmd(text: str, nums: list[Num], r: Reading | None = None) -> Reading:
    """Raw BMD in g/cm2, kept apart from the scores (with its unit, or a decimal right after "BMD")."""
    if r is None:
        r = Reading()
    for n in nums:
        if n.used:
            continue
        unitless = n.bare and "." in n.raw and BMD_RANGE[0] <= n.value <= BMD_RANGE[1] \
            and BMD_BEFORE.search(text, max(0, n.start - 16), n.start) is not None
        if unitless or n.unit in ("g/cm2", "g/cm^2", "g/cm", "gm/cm2", "g/sq"):
            n.used = True
            r.extra_mentions.append(("bmd_raw", "measurement", n.start, n.unit_end, f"{n.value:g} g/cm2"))
    return r



def read_categories(text: str, r: Reading) -> None:
    """A category stated as a score range ("T-scores between -1 and -2.5": osteopenia), a stated diagnosis."""
    for condition, pattern in score_categories():
        m = pattern.search(text)
        if m is not None:
            r.found.append(Found(f"conditions.{condition}", True, m.start(), m.end(), policy="any_true"))


ANCHOR = re.compile(  # (the look-ahead: every match starts with "t" or "z"; the search tries only there)
    r"(?=[tz])(?:\b(?P<k>[tz])[\s-]?scores?\b|\b(?P<k2>[tz])score\b|\b(?P<k3>[tz])\s*[:=]|"
    r"\b(?P<k4>[tz])\s+(?=[-+]?\d|minus|negative))"
)
ANCHOR_REACH = 160  # characters after "T-score" within which its numbers are read
ANCHOR_STOP = re.compile(r"[.;?!](?!\d)|\bfrax\b|\b(?:egfr|gfr|crcl|vitamin|calcium|pth|tsh)\b")
BEFORE_SITE_GAP = frozenset(
    "t z score scores tscore tscores zscore zscores of was is are were = : ( ) bmd dxa dexa - , sd "
    "remains remained still now measured measures measuring reads read shows showed came back at "
    "currently today my fine normal ok okay mean".split()
)
NEGATIVE_DECIMAL = re.compile(r"\s*(?:-|minus\s|negative\s)\s*\d*\.\d")  # "-2.2": a score's shape
# a whole number of 10 or more is read as a (doubtful) score only right after its label ("T-score 25": a lost
# minus or point, asked back); elsewhere it is an age, a time or a level ("fracture at 65", "Thoracic 11")
RIGHT_AFTER_ANCHOR = re.compile(
    r"(?:\b[tz][\s-]?scores?|\b[tz]score|\b[tz]|\bsd)\s*(?:[:=]|\bof\b|\bis\b|\bwas\b)?\s*$"
)
BMD_IN_GAP = re.compile(r"(?<![\w.-])\d?\.\d{2,4}\s*(?:g\s*/\s*cm\^?2?|gm/cm2)?(?![\w.])")
SITE_WORDS = {"femoral_neck": "femoral neck", "total_hip": "total hip", "lumbar_spine": "lumbar spine",
              "forearm_33": "33% radius"}
AFTER_SITE_GAP = frozenset("at in on of for over the her his my ( : - both".split())
AFTER_SITE_NEEDS = frozenset({"at", "in", "on", "of", "for", "over", "("})
# ("hip -1.0", "FN: T -2.1")
VALUE_NEXT = re.compile(r"\s*[:=]?\s*(?:[tz]\s*[:=]?\s*)?(?:[-+]\s?|minus\s+|negative\s+)?\d")
OTHER_KIND_GAP = re.compile(r"\s*[,(]?\s*(?:[tz](?:[\s-]?scores?)?|[tz]score)\s*[:=]?\s*")
SIDE_BEFORE = re.compile(r"\b(left|right|lt|rt|l|r|bilateral)\s+(?:and\s+(left|right)\s+)?$")
SIDE_INSIDE = re.compile(r"\b(left|right)\b")
FRACTURE_AFTER = re.compile(r"\s*(?:fx|fract|broke)")
SIDES = {"left": "left", "right": "right", "l": "left", "r": "right", "lt": "left", "rt": "right", "bilateral": "both"}


@dataclass(slots=True)
class SiteAtom:
    site: str
    start: int
    end: int
    count: int  # "right and left femoral neck" counts 2
    side: str | None


def site_atoms(text: str, matches: list[Match]) -> list[SiteAtom]:
    atoms = []
    for m in matches:
        if m.concept.category != "site" or not m.concept.dxa:
            continue
        if FRACTURE_AFTER.match(text, m.end):
            continue  # "a wrist fracture": the site of a fracture, not of a measurement
        before = text[max(0, m.start - 24) : m.start]
        sides = SIDE_BEFORE.search(before)
        side, count, start = None, 1, m.start
        if sides:
            side = SIDES[sides.group(1)]
            start = m.start - (len(before) - sides.start())
            if sides.group(2):
                count, side = 2, "both"
        inside = SIDE_INSIDE.search(text[m.start : m.end])
        if inside and side is None:
            side = inside.group(1)
        atoms.append(SiteAtom(m.concept.dxa, start, m.end, count, side))
    if "neck" in text or "total" in text:
        atoms = _hip_subsites(text, atoms)
    return atoms


# A hip report's sub-sites said alone after the hip ("Left hip: neck T -1.9, total T -1.4")
HIP_REGION = re.compile(r"\b(?:hip|hips|femur|femoral|fem)\b")
SUBSITE = re.compile(r"\b(?P<w>neck|total)\b(?=\s*(?:mean\s*)?(?:[:=(]|[tz]\b|[-+]?\s*\d|minus\b))")
SUBSITES = {"neck": "femoral_neck", "total": "total_hip"}


def _hip_subsites(text: str, atoms: list[SiteAtom]) -> list[SiteAtom]:
    extra = []
    for m in SUBSITE.finditer(text):
        if any(a.start <= m.start() < a.end for a in atoms):
            continue  # part of a site's own name ("femoral neck", "total hip")
        regions = list(HIP_REGION.finditer(text, max(0, m.start() - 60), m.start()))
        region = regions[-1] if regions else None
        if region is None or _SENTENCE_BREAK.search(text, region.end(), m.start()):
            continue
        extra.append(SiteAtom(SUBSITES[m.group("w")], m.start(), m.end(), 1, None))
    return sorted(atoms + extra, key=lambda a: a.start) if extra else atoms


def read_scores(text: str, nums: list[Num], matches: list[Match], r: Reading | None = None) -> Reading:
    if r is None:
        r = Reading()
    cands = [n for n in nums if not n.used and n.bare and not YEAR.match(n.raw) and abs(n.value) < 100]
    if not cands:
        return r  # no number that can be a score
    sites = site_atoms(text, matches)
    anchors = [
        (m.start(), m.end(), m.group("k") or m.group("k2") or m.group("k3") or m.group("k4"))
        for m in ANCHOR.finditer(text)
    ]
    # runs of numbers joined by "and" / "," / "/"
    runs: list[list[Num]] = []
    for n in cands:
        prev_end = runs[-1][-1].unit_end if runs else 0
        if runs and RUN_GAP.fullmatch(text[prev_end : n.start]) and not _site_between(sites, prev_end, n.start):
            runs[-1].append(n)
        else:
            runs.append([n])
    site_runs = _site_runs(text, sites)
    claimed: set[int] = set()  # sites (by start) that already have a value
    unsited: list[tuple[int, Num, str]] = []  # (index in r.found, number, kind) of scores read without a site
    sited: list[tuple[Num, SiteAtom, str]] = []
    tentative: set[int] = set()  # indexes in r.found of bare negative numbers read as scores only with a site
    last_sited: tuple[Num, SiteAtom] | None = None  # the last value given a site
    for run in runs:
        kind = _kind(text, anchors, run[0])
        first, last = run[0], run[-1]
        after = _site_run_after(text, site_runs, last.unit_end)
        before = _site_run_before(text, site_runs, first.start)
        pairs: list[tuple[Num, SiteAtom | None]] = []
        if len(run) > 1 and after and sum(a.count for a in after) == len(run):
            pairs = list(zip(run, _expand(after), strict=False))
        elif len(run) > 1 and before and sum(a.count for a in before) == len(run):
            pairs = list(zip(run, _expand(before), strict=False))
        else:
            for k, n in enumerate(run):
                site = None
                a = _site_run_after(text, site_runs, n.unit_end)
                if a and (len(a) == 1 or (len(run) == 1 and any(VALUE_NEXT.match(text, x.end) for x in a[1:]))):
                    site = a[0]  # "T-score -15 at the spine, hip -1.0": the hip has its own value
                if site is None and k == 0 and before and len(before) > 1 and len(run) == 1:
                    v = VALUE_NEXT.match(text, before[-1].end)
                    if v is not None and v.end() > n.start:
                        site = before[-1]  # "... at the spine, hip -1.0": the site right before
                if site is None and k == 0 and before and len(before) == 1:
                    site = before[0]
                    if site.start in claimed and len(run) == 1:
                        # "T -2.4 LS, -1.1 TH": the site before already has its value, the one after is free
                        right = _site_right_after(text, sites, n.unit_end)
                        if right is not None and right.start not in claimed:
                            site = right
                if site is None and len(run) == 1:
                    site = _site_right_after(text, sites, n.unit_end)  # terse "T -1.8 femoral neck"
                if site is None and len(run) == 1 and last_sited is not None \
                        and OTHER_KIND_GAP.fullmatch(text, last_sited[0].unit_end, n.start):
                    site = last_sited[1]  # "FN T -1.7 Z -0.3": the Z-score of the same site
                if site is None and len(run) > 1 and k > 0 and pairs and pairs[0][1] is not None and after is None:
                    site = pairs[0][1]  # "-2.6 and -2.9 at the femoral neck" handled below; here a list after one site
                pairs.append((n, site))
            if after and len(after) == 1 and len(run) > 1:
                pairs = [(n, after[0]) for n in run]  # several values at one site
        for n, site in pairs:
            signed = n.raw.lstrip().startswith(("-", "+", "minus", "negative")) or "." in n.raw
            if n.earlier and signed and (kind or site or sites or anchors) and not n.threshold:
                # "previously -3.0", "down from -2.1 two years ago": history, kept and shown as such
                n.used = True
                where = f" at the {SITE_WORDS[site.site]}" if site else ""
                r.extra_mentions.append(("earlier_score", "measurement", n.start, n.unit_end,
                                         f"{(kind or 't').upper()}-score {fmt(n.value)}{where}"))
                continue
            if kind is None and site is None and not (sites and NEGATIVE_DECIMAL.match(n.raw)):
                continue  # a number with no score context (a negative decimal may find its site below)
            if not signed and "." not in n.raw and abs(n.value) >= 10 \
                    and not RIGHT_AFTER_ANCHOR.search(text, max(0, n.start - 24), n.start):
                continue  # "fracture at 65", "Thoracic 11": an age, a time or a level, not a score
            if kind is None and not signed:
                continue  # terse "FN 2": too weak without a sign or decimal
            n.used = True
            if site is not None:
                claimed.add(site.start)
                last_sited = (n, site)
            if n.threshold:
                continue
            k = kind or "t"
            if site:
                field = "t_scores" if k == "t" else "z_scores"
            else:
                field = "t_score_unsited" if k == "t" else "z_score_unsited"
            path = f"{field}.{site.site}" if site else field
            lo, hi = T_SCORE_RANGE if k == "t" else Z_SCORE_RANGE
            if not lo <= n.value <= hi:
                reason = f"a {k.upper()}-score should be {lo:g} to {hi:g}"
                r.doubts.append(Doubt(path, fmt(n.value), reason, n.start, n.unit_end))
                continue
            s, e = (min(n.start, site.start), max(n.unit_end, site.end)) if site else (n.start, n.unit_end)
            if site and max(n.unit_end, site.end) - min(n.start, site.start) > 80:
                s, e = n.start, n.unit_end
            unsigned = n.value > 0 and not n.raw.lstrip().startswith("+")
            r.found.append(Found(path, n.value, s, e, policy="lowest", detail=site.side if site else None,
                                 unsigned=unsigned))
            if site is None:
                unsited.append((len(r.found) - 1, n, k))
                if kind is None:
                    tentative.add(len(r.found) - 1)  # kept only if it finds its site below
            else:
                sited.append((n, site, k))
    listed = {a.start for run in site_runs if len(run) > 1 for a in run}  # "at the spine and hip": which one?
    for index, n, k in unsited:
        site = _site_for_unsited(text, [a for a in sites if a.start not in listed], sited, n, k, nums)
        if site is not None and index in tentative and not _score_words_between(text, site, n):
            site = None  # "hip pain, sodium dropped by -1.5": other words between, not the site's score
        if site is not None:
            x = r.found[index]
            field = "t_scores" if k == "t" else "z_scores"
            x.path = f"{field}.{site.site}"
            x.detail = site.side
            if abs(site.start - n.start) <= 80:
                x.start, x.end = min(n.start, site.start), max(n.unit_end, site.end)
            sited.append((n, site, k))
            tentative.discard(index)
    for index in sorted(tentative, reverse=True):  # a bare negative number that found no site: not a score
        n = next(x for i, x, _k in unsited if i == index)
        n.used = False
        del r.found[index]
    return r


# The words of a T- and a Z-score of the same site side by side ("FN T -2.1 and Z score of -1.0")
SAME_SITE_GAP = re.compile(
    r"\s*(?:[,;(/]|\band\b|\bwith\b|\bwhile\b)?\s*(?:\b(?:an?|the|her|his)\s+)?"
    r"(?:[tz](?:[\s-]?scores?)?|[tz]score)\s*(?:\b(?:of|was|is|at)\b|[:=])?\s*$"
)
# the words between a score and the other kind's score after it ("-1.9 and Z-score -0.7 at the femoral neck")
PAIRED_AFTER = re.compile(
    r"\s*(?:[,;/]|\band\b|\bwith\b)?\s*(?:\b(?:an?|the|her|his)\s+)?"
    r"(?:[tz](?:[\s-]?scores?)?|[tz]score)\s*(?:\b(?:of|was|is)\b|[:=])?\s*"
)
# words that may stand between a score and a site after it ("T score -2.2 (bone density) in the lumbar spine")
AFTER_FALLBACK_WORDS = frozenset(
    "in at of on for over the her his left right both was is measured taken".split()
    + "sd standard deviation deviations below under young adult mean peak reference".split()  # "2.6 SD below the ..."
)
# words between that say the site is not the score's ("she has hip pain", "the spine could not be assessed")
NOT_THE_SITE = frozenset(
    "she he they patient has had have normal excluded not could cannot couldn unable degenerative artifact artefact "
    "replacement replaced pain".split()
)
NOT_THE_SITE_AFTER = re.compile(
    r"\s*(?:\(\w+\)\s*)?(?:is\s+|was\s+)?(?:normal|excluded|not\b|pain|replacement|replaced|arthroplasty|prosthesis|"
    r"surgery|could\s+not|cannot|unevaluable|artifact|artefact|degenerat)"
)
NEAR_SITE_CHARS = 70  # how far a site may be from an unsited score of the same sentence
_SENTENCE_BREAK = re.compile(r"[;?!]|(?<!\d)\.(?!\d)")  # a sentence end (not a decimal point)


def _site_for_unsited(text: str, sites: list[SiteAtom], sited: list[tuple[Num, SiteAtom, str]], n: Num,
                      kind: str, nums: list[Num]) -> SiteAtom | None:
    """The site of a score said with its site further away ("a radius BMD T-score of -2.9", "T score -2.2
    in the lumbar spine", "femoral neck T -2.1 and Z score of -1.0"): the site of the other kind's score
    right before, else the nearest DXA site of the same sentence with no other number between that has no
    value of this kind yet. None when there is none (the score stays unsited)."""
    for m, site, k in reversed(sited):
        if k == kind or any(k2 == kind and s2.start == site.start for _m, s2, k2 in sited):
            continue
        if m.unit_end <= n.start and SAME_SITE_GAP.match(text[m.unit_end : n.start]):
            return site
        if n.unit_end <= m.start and PAIRED_AFTER.fullmatch(text[n.unit_end : m.start]):
            return site  # "T-score -1.9 and Z-score -0.7 at the femoral neck": the pair's site
    taken = {site.start for _m, site, k in sited if k == kind}
    best: tuple[int, SiteAtom] | None = None
    for site in sites:
        if site.start in taken:
            continue
        if FRACTURE_AFTER.match(text[site.end : site.end + 12]):
            continue  # "T -2.6, prior hip fracture", "a wrist fracture ... and T-score of -1.6": a fracture's site
        if site.end <= n.start:
            a, b = site.end, n.start
        elif site.start >= n.unit_end:
            a, b = n.unit_end, site.start
        else:
            continue
        if b - a > NEAR_SITE_CHARS or _SENTENCE_BREAK.search(_strip_parens(text[a:b])):
            continue
        if any(a <= m.start < b and not m.earlier and not YEAR.match(m.raw) for m in nums):
            continue  # another value between: the site is that value's
        words = [w for w in gap_words(text[a:b]) if w.isalpha()]
        if a == n.unit_end and not all(w in AFTER_FALLBACK_WORDS for w in words):
            continue  # "T-score -2.1, she has hip pain", "-1.8 and a normal hip": not the score's site
        if NOT_THE_SITE.intersection(words) or NOT_THE_SITE_AFTER.match(text, site.end):
            continue  # "the spine could not be assessed", "spine normal", "hip replacement"
        gap = text[a:b]
        if best is None or len(gap) < best[0]:
            best = (len(gap), site)
    return best[1] if best else None


_PARENS = re.compile(r"\([^()]*\)")
# words that may stand between a site and its score said without "T-score" ("the spine was -2.6 in 2021 and
# is -2.2 now", "her spine went from -2.6 to -2.2")
TENTATIVE_GAP = BEFORE_SITE_GAP | frozenset(
    "in and to from went improved worsened declined dropped rose fell changed then now today this time her his the "
    "was is it on at".split()
)


def _score_words_between(text: str, site: SiteAtom, n: Num) -> bool:
    a, b = (site.end, n.start) if site.end <= n.start else (n.unit_end, site.start)
    words = [w for w in gap_words(text[a:b])
             if not w[0].isdecimal() and w not in (".", "-", "(", ")", ",", ";", "\u2192", ">", "=")]
    return all(w in TENTATIVE_GAP for w in words)


def _strip_parens(gap: str) -> str:
    """A gap without its bracketed asides ("DEXA (Dual-Energy X-ray Absorptiometry) scan")."""
    return _PARENS.sub(" ", gap) if "(" in gap else gap


def _expand(atoms: list[SiteAtom]) -> list[SiteAtom]:
    out = []
    for a in atoms:
        out.extend([a] * a.count)
    return out


def _site_between(sites: list[SiteAtom], a: int, b: int) -> bool:
    return any(a <= s.start < b for s in sites)


def _site_runs(text: str, sites: list[SiteAtom]) -> list[list[SiteAtom]]:
    """Lists of sites ("spine, total hip and femoral neck")."""
    runs: list[list[SiteAtom]] = []
    for s in sites:
        if runs and RUN_GAP.fullmatch(text[runs[-1][-1].end : s.start]):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def _site_run_after(text: str, runs: list[list[SiteAtom]], pos: int) -> list[SiteAtom] | None:
    for run in runs:
        if run[0].start >= pos:
            words = gap_words(text[pos : run[0].start])
            if words and len(words) <= 4 and all(w in AFTER_SITE_GAP for w in words) \
                    and AFTER_SITE_NEEDS.intersection(words):
                return run
            return None
    return None


def _site_right_after(text: str, sites: list[SiteAtom], pos: int) -> SiteAtom | None:
    for s in sites:
        if s.start >= pos:
            fracture = FRACTURE_AFTER.match(text[s.end : s.end + 12])
            return s if s.start - pos <= 3 and not text[pos : s.start].strip() and not fracture else None
    return None


def _site_run_before(text: str, runs: list[list[SiteAtom]], pos: int) -> list[SiteAtom] | None:
    best = None
    for run in runs:
        if run[-1].end <= pos:
            best = run
    if best is None:
        return None
    gap = text[best[-1].end : pos]
    if "." in gap:
        gap = BMD_IN_GAP.sub(" ", gap)  # "Left femoral neck BMD 0.612 g/cm2, T-score -2.3": the site's BMD first
    words = gap_words(gap)
    if len(words) <= 6 and all(w in BEFORE_SITE_GAP for w in words):
        return best
    return None


def _kind(text: str, anchors: list[tuple[int, int, str]], n: Num) -> str | None:
    """ "t" or "z" from the nearest anchor before the number in the same stretch, or just after it."""
    for s, e, k in anchors:
        if s >= n.unit_end and not text[n.unit_end : s].strip():
            if VALUE_NEXT.match(text, e):
                break  # "FN T -1.7 Z -0.3": that "Z" is the next value's
            return k
    best = None
    for _s, e, k in anchors:
        if n.start - ANCHOR_REACH <= e <= n.start:
            best = (e, k)
    if best is not None and not ANCHOR_STOP.search(text, best[0], n.start):
        return best[1]
    return None
