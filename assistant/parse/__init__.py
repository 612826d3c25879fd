"""Free text -> Facts, with the words each fact came from.

    parse("67F, FN T -1.7, FRAX 11/1.4") -> Parsed(facts=Facts(age=67, sex=female, ...), ...)

Pipeline (one pass each, all linear in the text): normalise (Unicode, offsets kept) -> tokens ->
lexicon concepts (exact, then typo-tolerant) -> ConText modifiers -> readers (demographics,
numbers, mentions) -> build (one value per field; several values and conflicts resolved and
reported) -> intent. Facts said inside a what-if ("what if her eGFR were 30?") go to
`Parsed.hypothetical`, never to `Parsed.facts`.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from assistant.facts import Facts, FractureSite, Intent, Mention, Parsed, Question, Site, Status
from assistant.parse import body, demographics, doses, frax, intent, labs, numbers, patients, scores
from assistant.parse.build import build, medications
from assistant.parse.context import analyse
from assistant.parse.found import Doubt, Found, Reading
from assistant.parse.lexicon import Concept, Match, find_concepts
from assistant.parse.mentions import FRACTURE_EVENT_CONDITIONS, read_mentions
from assistant.parse.normalise import normalise, tokenize
from assistant.parse.table import read_tables

_DIGIT = re.compile(r"\d")
AFFIRMED = Status.AFFIRMED
_FRACTURE_WORD = re.compile(r"fractur|\bfx|\bbr[oe]ke|\bbroken\b")
SEGMENT_CHARS = 1000  # longer messages are read in pieces of about this size (keeps every step linear)
MAX_MENTIONS = 500  # mentions kept for display; a longer list says nothing more

__all__ = ["parse"]


def parse(text: str) -> Parsed:
    """Read one message. Total: any string gives a Parsed, never an exception."""
    if not isinstance(text, str):
        text = str(text)
    try:
        return _parse(text)
    except Exception:  # pragma: no cover - a last guard; the property tests look for these
        return Parsed(text=text, unrecognised=True)


def _segments(text: str) -> list[tuple[int, int]]:
    if len(text) <= SEGMENT_CHARS:
        return [(0, len(text))]
    out = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + SEGMENT_CHARS)
        if end < n:
            cut = max(text.rfind(". ", start, end), text.rfind("? ", start, end), text.rfind("\n", start, end))
            if cut <= start + SEGMENT_CHARS // 2:
                cut = text.rfind(" ", start + SEGMENT_CHARS // 2, end)
            end = cut + 1 if cut > start else end
        out.append((start, end))
        start = end
    return out


def _parse(text: str) -> Parsed:
    norm = normalise(text)
    low = norm.text
    found: list[Found] = []  # what every segment's readers found, their doubts and notes
    doubts: list[Doubt] = []
    notes: list[tuple[str, str, list[str]]] = []
    meds = []
    mentions: list[Mention] = []
    domain = False  # a bone-health concept was named
    bone_topic = False  # ... one that makes bone health the topic (not only a risk factor or a body part)
    risk_factor = False  # a bone-health input named (smoking, prednisone)
    out_of_scope_word = False
    whatif_regions: list[tuple[int, int]] = []
    sites_seen: list[str] = []
    fracture_sites_seen: list[str] = []  # the fracture sites the affirmed site words name
    sites_denied: list[str] = []  # the fracture sites of denied site words ("not the hip")
    dxa_denied: list[tuple[int, str]] = []  # (where, DXA site) of denied site words
    negated_fracture = False
    traumatic_fracture = False  # a fracture said to be traumatic (kept as a mention, not counted)
    withdrawn: list[str] = []  # fact paths a follow-up takes back ("scratch the steroids")
    other_topics: list = []  # spans of other clinical topics' words
    for a, b in _segments(low):
        seg = low[a:b]
        tokens = tokenize(seg)
        matches = find_concepts(tokens)
        ctx = analyse(tokens)
        whatif = ctx.whatif_chars()
        if whatif:
            whatif_regions.extend((s + a, e + a) for s, e in whatif)
        r = Reading()  # every reader adds to it, in this order
        demographics.read_age(seg, r)
        demographics.read_sex(tokens, seg, whatif, r)
        demographics.read_menopause(seg, r)
        read_tables(seg, norm.original[a:b], matches, r)
        labs.read_ckd_stage(seg, r)
        # (every number has a digit: without one there is nothing to scan, nor names to skip)
        nums = numbers.scan(seg, r.consumed + _numbered_names(seg, matches) + numbers.list_markers(seg)) \
            if _DIGIT.search(seg) else []
        if nums:  # (these readers read numbers: without one they find nothing)
            labs.read_labs(seg, nums, r)
            body.read_body(seg, nums, r)
            doses.read_glucocorticoid_dose(seg, nums, r)
            scores.read_bmd(seg, nums, r)
            if "2.5" in seg:  # (every category range names -2.5)
                scores.read_categories(seg, r)
            frax.read_frax(seg, nums, r)
            if r.labels:  # (only the FRAX reader gives labels)
                matches = _outside_labels(matches, r.labels)
            scores.read_scores(seg, nums, matches, r)
        _, seg_meds, statuses = read_mentions(seg, tokens, matches, ctx, r)
        if a:
            for m in seg_meds:
                m.start += a
                m.end += a
        meds.extend(seg_meds)
        for m, status, _whatif, _neg in statuses:
            c = m.concept
            if c.category == "out_of_scope":
                out_of_scope_word = True
                if len(other_topics) < MAX_MENTIONS:
                    other_topics.append(norm.span(m.start + a, m.end + a))
                continue
            domain = True
            if c.category in RISK_FACTOR_CATEGORIES:
                risk_factor = True
            elif not (c.category == "site" and not c.dxa):
                bone_topic = True
            if len(mentions) >= MAX_MENTIONS:
                continue
            detail = c.dxa or c.fracture or c.kind
            why = None if status is AFFIRMED else (ctx.why(m.i, m.j, c.id) or "question")
            if why == "withdrawn":
                withdrawn.extend(p for p in _withdrawn_paths(c) if p not in withdrawn)
            mentions.append(Mention(concept=c.id, category=c.category, status=status,
                                    span=norm.span(m.start + a, m.end + a), detail=detail, why=why))
            if c.category == "site" and c.dxa and status is AFFIRMED:
                sites_seen.append(c.dxa)  # ("it was the spine, not the hip": the spine)
                if c.fracture:
                    fracture_sites_seen.append(c.fracture)
            elif c.category == "site" and c.fracture and status is Status.NEGATED:
                sites_denied.append(c.fracture)  # (... "not the hip": the hip)
            if c.category == "site" and c.dxa and status is Status.NEGATED \
                    and not _FRACTURE_WORD.search(seg, m.end, m.end + 14):  # ("no hip fracture": a fracture's site)
                dxa_denied.append((m.start + a, c.dxa))
        for kind, cat, s, e, detail in r.extra_mentions:
            mentions.append(Mention(concept=kind, category=cat, span=norm.span(s + a, e + a), detail=detail))
            if kind == "fracture" and detail in ("traumatic", "childhood"):
                traumatic_fracture = True
        for x in r.found:
            if x.path == "prior_fragility_fracture" and x.value is False:
                negated_fracture = True
        if a:  # (a later segment: its offsets are into the whole text)
            for x in r.found:
                x.start += a
                x.end += a
            for d in r.doubts:
                d.start += a
                d.end += a
        found += r.found
        doubts += r.doubts
        notes += r.notes
    if dxa_denied:
        found = _corrected_in_message(low, found, dxa_denied)
    # a second patient ("Patient B: 71M ..."): set aside, asked to come on its own
    ages = [x.start for x in found if x.path == "age"]
    cut = patients.second_patient(low, ages) if len(ages) >= 2 else None
    if cut is not None:
        found = [x for x in found if x.start < cut]
        doubts = [d for d in doubts if d.start < cut]
        meds = [m for m in meds if m.start < cut]
        at = norm.orig(cut)
        mentions = [m for m in mentions if m.span.start < at]
    # split what-if facts from the patient's
    inside = _Intervals(whatif_regions) if whatif_regions else None
    real: list[Found] = []
    hypo: list[Found] = []
    for x in found:
        if x.path.startswith("?"):
            x.path = x.path[1:]
            hypo.append(x)
        elif inside is not None and inside(x.start):
            hypo.append(x)
        else:
            real.append(x)
    if inside is None:
        real_doubts, hyp_doubts = doubts, []
    else:
        real_doubts = [d for d in doubts if not inside(d.start)]
        hyp_doubts = [d for d in doubts if inside(d.start)]
    facts = build(norm, real, real_doubts, notes)
    if cut is not None:
        facts.questions.append(Question(field="patient", value=text[norm.orig(cut):].strip()[:200],
                                        reason=patients.SET_ASIDE, span=norm.span(cut, len(low))))
    if mentions:  # (else the default empty list stays)
        facts.mentions = mentions
    if meds:
        facts.medications = medications(meds, norm)
    hypothetical: Facts | None = None
    if hypo or whatif_regions:
        hypothetical = build(norm, hypo, hyp_doubts, [])
    # a risk factor stated in a note ("on long-term steroids for asthma") is the patient's, for us; in a
    # question about another topic ("dose of prednisone for asthma?") it is that topic's
    asks: bool | None = None  # is_question(low), found when first needed
    if risk_factor and not bone_topic:
        asks = intent.is_question(low)
        bone_topic = not asks
    # nothing read and no drug: the facts hold only mentions, so every fact test below is False
    empty = not real and not real_doubts and not notes and not meds
    if traumatic_fracture and facts.prior_fragility_fracture is None and intent.refers_back(low):
        # "sorry, that fracture was from a car crash": the fracture said before is not a fragility fracture
        withdrawn.extend(p for p in ("prior_fragility_fracture", "fracture_sites") if p not in withdrawn)
    p = _finish(text, low, facts, hypothetical, domain, bone_topic, out_of_scope_word, sites_seen,
                negated_fracture, asks, empty, withdrawn)
    if p.relabel_site is not None and sites_denied and fracture_sites_seen \
            and sites_denied[-1] != fracture_sites_seen[-1]:
        p.relabel_fracture = (FractureSite(sites_denied[-1]), FractureSite(fracture_sites_seen[-1]))
    if other_topics:
        p.other_topics = other_topics
    return p


# a correction inside the message ("70F FN -2.1, sorry, it was TH -2.1 not FN")
MID_CORRECTION = re.compile(r"(?<=[\s,;.])(?:sorry|actually|correction|oops|i\s+mean|i\s+meant|make\s+that)\b")


def _corrected_in_message(low: str, found: list[Found], denied: list[tuple[int, str]]) -> list[Found]:
    """A score said before a correction at a site the correction denies is taken back."""
    cue = MID_CORRECTION.search(low)
    if cue is None:
        return found
    gone = {f"{kind}.{site}" for at, site in denied if at > cue.start() for kind in ("t_scores", "z_scores")}
    return [x for x in found if not (x.path in gone and x.start < cue.start())]


def _withdrawn_paths(c: Concept) -> list[str]:
    """The fact paths a withdrawn concept names ("scratch the steroids": glucocorticoid use and its dose)."""
    if c.category == "drug":
        return [f"medications.{c.id}"]
    if c.category == "glucocorticoid":
        return ["glucocorticoids", "glucocorticoid_dose_mg", "glucocorticoid_months"]
    if c.category == "fracture" or c.id in FRACTURE_EVENT_CONDITIONS:
        return ["prior_fragility_fracture", "fracture_sites"]
    if c.condition:
        return [f"conditions.{c.condition}", *(f"conditions.{k}" for k in c.also)]
    return []


def _numbered_names(text: str, matches: list[Match]) -> list[tuple[int, int]]:
    """Lexicon terms with digits in them ("L1-4", "1/3 radius", "type 2 diabetes"): not values."""
    return [(m.start, m.end) for m in matches if _DIGIT.search(text, m.start, m.end)]


def _outside_labels(matches: list[Match], labels: list[tuple[int, int]]) -> list[Match]:
    """Matches without the site and fracture words that label a FRAX value ("1.4% hip", "hip fracture
    risk 2.8%"): those name a probability, not a DXA site, a fracture or the patient's history."""
    return [
        m for m in matches
        if m.concept.category not in ("site", "fracture") or not any(m.start < b and a < m.end for a, b in labels)
    ]


# Intents whose cue words also state facts ("eGFR 32", "on prednisone"): in a note that asks
# nothing, the message only gives facts.
TOPIC_INTENTS = frozenset({Intent.RENAL_DOSING, Intent.GLUCOCORTICOID, Intent.DRUG_HOLIDAY_OR_DURATION,
                           Intent.DENOSUMAB_STOP, Intent.SUPPLEMENTS})
# Concepts that are bone-health inputs but not a bone-health topic by themselves: in a question
# with another topic's words ("a smoker with pneumonia: which antibiotic?") the message is about
# that topic. Sites that only name a fracture place ("chest pain radiating to the shoulder") never
# make the topic.
RISK_FACTOR_CATEGORIES = frozenset({"condition", "glucocorticoid"})
DIAGNOSIS_CONDITIONS = frozenset({"osteopenia_stated", "osteoporosis_stated"})


class _Intervals:
    """Is a position inside any of these ranges? (merged once, then a binary search)"""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(ranges):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def __call__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.ends[k]


def _has_bone_measures(f: Facts) -> bool:
    """Facts that only a bone-health question gives: scores, FRAX, fractures, bone drugs, vitamin D."""
    return bool(
        f.t_scores or f.z_scores or f.t_score_unsited is not None or f.z_score_unsited is not None
        or f.frax is not None or f.prior_fragility_fracture is not None or f.medications
        or f.vitamin_d is not None or any(q.field.startswith(("t_score", "z_score", "frax")) for q in f.questions)
    )


def _has_facts(f: Facts, diagnosis: bool = True, who: bool = True) -> bool:
    conditions = f.conditions if diagnosis else {k for k in f.conditions if k not in DIAGNOSIS_CONDITIONS}
    person = who and (f.age is not None or f.sex is not None or f.menopause is not None)
    return bool(
        person or f.t_scores or f.z_scores
        or f.t_score_unsited is not None or f.z_score_unsited is not None or f.frax is not None
        or f.prior_fragility_fracture is not None or f.glucocorticoids is not None or f.egfr is not None
        or f.vitamin_d is not None or f.medications or conditions or f.questions or f.contradictions
        or f.calcium is not None or f.pth is not None or f.tsh is not None
        or f.glucocorticoid_dose_mg is not None
    )


# Intent members read once (an enum member look-up costs ~100 ns on Python 3.11)
_DOSE = Intent.DOSE
_DRUG_CHOICE = Intent.DRUG_CHOICE
_FACTS_ONLY = Intent.FACTS_ONLY
_MANAGEMENT_OVERALL = Intent.MANAGEMENT_OVERALL
_OUT_OF_SCOPE = Intent.OUT_OF_SCOPE
_SOURCES = Intent.SOURCES
_TREAT_OR_NOT = Intent.TREAT_OR_NOT


def _finish(
    text: str,
    low: str,
    facts: Facts,
    hypothetical: Facts | None,
    domain: bool,
    bone_topic: bool,
    out_of_scope_word: bool,
    sites_seen: list[str],
    negated_fracture: bool,
    asks: bool | None,
    empty: bool = False,
    withdrawn: list[str] | None = None,
) -> Parsed:
    """The message's intents and what it does to the conversation. `empty`: `facts` holds nothing but
    mentions (its fact tests are False without being made)."""
    intents = intent.find_intents(low)
    # (the Parsed is made once at the end, given only the values that are not its defaults: cheaper than
    # setting its fields one by one)
    is_correction = intent.is_correction(low)
    show_citation = intent.show_citation(low)
    profile = intent.profile(low)
    retract = intent.retractions(low)
    for path in withdrawn or ():
        if path not in retract:
            retract.append(path)
    relabel_site: Site | None = None
    kept_facts, kept_hypothetical = facts, hypothetical  # what the Parsed keeps
    if negated_fracture and facts.prior_fragility_fracture is False and "fracture_sites" not in retract:
        retract.append("fracture_sites")
    patient_facts = not empty and _has_facts(facts, diagnosis=False)
    # (the facts' own test: the patient's facts or a stated diagnosis, the only conditions left out above)
    has_facts = patient_facts or (not empty and bool(facts.conditions)) \
        or (hypothetical is not None and _has_facts(hypothetical))
    if is_correction and sites_seen and not facts.t_scores and facts.t_score_unsited is None \
            and not facts.z_scores and intent.RELABEL.search(low) and not _FRACTURE_WORD.search(low):
        # ("actually the fracture was at the hip" places the fracture, not the last score)
        relabel_site = Site(sites_seen[-1])
    # Generic "treatment" questions: with osteoporosis stated the question is which drug.
    if intents and intents[0] == _TREAT_OR_NOT and facts.has("osteoporosis_stated") \
            and not facts.has("osteopenia_stated") and not intent.EXPLICIT_TREAT.search(low):
        intents = [_DRUG_CHOICE] + [i for i in intents if i != _DRUG_CHOICE]
    if intents and intents[0] == _DRUG_CHOICE and facts.has("osteopenia_stated") \
            and not facts.has("osteoporosis_stated") and intent.GENERIC_TREATMENT.search(low):
        intents = [_TREAT_OR_NOT] + [i for i in intents if i != _TREAT_OR_NOT]
    special = bool(show_citation or profile or is_correction or retract)
    bone_facts = not empty and _has_bone_measures(facts)
    if out_of_scope_word and not bone_topic and not bone_facts and not special:
        # "55-year-old man with chest pain": another topic. Who the patient is (age, sex) is not kept
        # for a bone-health conversation: the message states nothing this assistant can use.
        intents = [_OUT_OF_SCOPE]
        kept_facts, kept_hypothetical = Facts(mentions=facts.mentions), None
    if not domain and not has_facts and not special:
        if not out_of_scope_word and not intents and asks is None:
            asks = intent.is_question(low)
        if out_of_scope_word or (asks and not intents):
            intents = [_OUT_OF_SCOPE]
        elif out_of_scope_word is False and intents and intents[0] in (_DOSE, _TREAT_OR_NOT,
                                                                        _MANAGEMENT_OVERALL) \
                and intent.OTHER_TOPIC.search(low):
            intents = [_OUT_OF_SCOPE]
    if patient_facts and intents and intents[0] in TOPIC_INTENTS and not special:
        if asks is None:
            asks = intent.is_question(low)
        if not asks:
            intents = [_FACTS_ONLY] + intents  # "eGFR 32" in a note states a fact, it does not ask
    if not intents and patient_facts and hypothetical is None:
        intents = [_FACTS_ONLY]
    elif not intents and domain and not special and hypothetical is None:
        intents = [_MANAGEMENT_OVERALL]
    if show_citation is not None and _SOURCES not in intents:
        intents.insert(0, _SOURCES)
    fields: dict[str, object] = {"text": text, "facts": kept_facts}
    if kept_hypothetical is not None:
        fields["hypothetical"] = kept_hypothetical
    if intents:
        fields["intents"] = intents
    if is_correction:
        fields["is_correction"] = True
    if retract:
        fields["retract"] = retract
    if show_citation is not None:
        fields["show_citation"] = show_citation
    if relabel_site is not None:
        fields["relabel_site"] = relabel_site
    if profile is not None:
        fields["profile"] = profile
    if not intents and not has_facts and not special and hypothetical is None and not domain:
        fields["unrecognised"] = True
    p = Parsed(**fields)  # type: ignore[arg-type]
    _ = Status  # re-exported names stay importable
    return p
