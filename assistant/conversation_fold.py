"""The fold: the patient's facts from the conversation's events.

`merge`, `retract` and `relabel` each take a state and return a new one (the old one is not changed)
with what changed in words; `fold(events)` replays a whole log, `apply_event` one step of it.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.conversation_events import Event, EventKind
from assistant.conversation_facts import (
    SCALARS,
    SCORE_KINDS,
    copy_facts,
    describe_group,
    fact_name,
    fmt,
    get_group,
    value_words,
)
from assistant.facts import Facts, FractureSite, Frax, Mention, Site, Span
from assistant.render import label

# A drug's status in the words of a change ("alendronate: stopped (was taking)")
_USE = {"affirmed": "taking", "historical": "stopped", "negated": "not taking", "family": "a relative's",
        "hypothetical": "only asked about"}
# Fracture facts that a "she never had a fracture" withdraws along with the fracture itself.
_FRACTURE_CONDITIONS = ("recent_fracture", "multiple_fractures", "fracture_on_therapy")


def _at_turn(span: Span, turn: int | None) -> Span:
    if turn is None or span.turn == turn:
        return span
    # The constructor is about twice as fast as model_copy for this small frozen model.
    return Span(start=span.start, end=span.end, text=span.text, turn=turn)


def _restamped(m: Mention, span: Span) -> Mention:
    """The mention with its span stamped with the turn. Made field by field: dataclasses.replace looks the
    fields up on every call (four times the cost), and a message re-stamps each of its mentions
    (tests/test_conversation.py checks that these are all of Mention's fields)."""
    return Mention(concept=m.concept, category=m.category, status=m.status, span=span, detail=m.detail, why=m.why)


def merge(state: Facts, delta: Facts, turn: int | None = None) -> tuple[Facts, list[str]]:
    """Fold one message's facts into the state. Later values replace earlier ones.

    Returns the new state (the old one is not changed) and the replaced values in words
    ("age 58 (was 67)"). The cost depends on the size of the delta and of the (bounded) state,
    never on the number of turns: mentions are kept once per concept, the latest winning.
    """
    new = copy_facts(state)
    changes: list[str] = []

    def changed(group: str, old_text: str) -> None:
        changes.append(f"{describe_group(new, group)} (was {old_text})")

    said = vars(delta)  # the fields' values, read from the model's dict (a model's attribute read is slower)
    for name in SCALARS:
        value = said[name]
        if value is None:
            continue
        old = getattr(new, name)
        if name == "prior_fragility_fracture":
            old_sites = ", ".join(s.value for s in new.fracture_sites)
            if value is False:
                new.fracture_sites = []
                for c in _FRACTURE_CONDITIONS:
                    if new.conditions.get(c):
                        new.conditions.pop(c)
            new.prior_fragility_fracture = value
            if old is not None and old != value:
                was = fmt(old) + (f", {old_sites}" if old_sites and old else "")
                changes.append(f"{fact_name(name)}: {fmt(value)} (was {was})")
            continue
        setattr(new, name, value)
        if old is not None and old != value:
            changed(name, value_words(name, old) or fmt(old))
    for kind in SCORE_KINDS:
        target: dict[Site, float] = getattr(new, kind)
        for site, value in getattr(delta, kind).items():
            old = target.get(site)
            target[site] = value
            if old is not None and old != value:
                changed(f"{kind}.{site.value}", fmt(old))
    if delta.frax is not None:
        old_frax = new.frax
        major = delta.frax.major if delta.frax.major is not None else (old_frax.major if old_frax else None)
        hip = delta.frax.hip if delta.frax.hip is not None else (old_frax.hip if old_frax else None)
        new.frax = Frax(**{**vars(delta.frax), "major": major, "hip": hip})  # cheaper than model_copy
        if old_frax is not None:
            for part in ("major", "hip"):
                was, now = getattr(old_frax, part), getattr(new.frax, part)
                if was is not None and was != now:
                    changes.append(f"FRAX {part} {fmt(now)}% (was {fmt(was)}%)")
    if delta.egfr is not None:
        new.egfr_is_crcl = delta.egfr_is_crcl
    if delta.fracture_sites and new.prior_fragility_fracture is False and delta.prior_fragility_fracture is None:
        new.prior_fragility_fracture = True
        changes.append("a prior fragility fracture (was no prior fragility fracture)")
    for site in delta.fracture_sites:
        if site not in new.fracture_sites:
            new.fracture_sites.append(site)
    for med in delta.medications:
        old_med = next((m for m in new.medications if m.name == med.name), None)
        new.medications = [m for m in new.medications if m.name != med.name] + [med]
        if old_med is not None and old_med.status != med.status:
            changes.append(f"{med.name}: {_USE[med.status.value]} (was {_USE[old_med.status.value]})")
    for key, flag in delta.conditions.items():
        old_c = new.conditions.get(key)
        new.conditions[key] = flag
        if old_c is not None and old_c != flag:
            changed(f"conditions.{key}", fmt(old_c))
    for key, span in delta.sources.items():
        new.sources[key] = _at_turn(span, turn)
    if delta.mentions:
        latest: dict[tuple[str, str, str | None], Mention] = {
            (m.concept, m.category, m.detail): m for m in new.mentions
        }
        for m in delta.mentions:
            key = (m.concept, m.category, m.detail)
            latest.pop(key, None)  # re-inserted last: the list stays in order of latest statement
            span = _at_turn(m.span, turn)
            latest[key] = m if span is m.span else _restamped(m, span)
        new.mentions = list(latest.values())
    # Doubts belong to the message that raised them.
    new.questions = list(delta.questions)
    new.contradictions = list(delta.contradictions)
    new.notes = list(delta.notes)
    return new, changes


def retract(state: Facts, fields: Iterable[str]) -> tuple[Facts, list[str]]:
    """Withdraw facts by path ("prior_fragility_fracture", "t_scores.femoral_neck", "conditions.smoking").

    Returns the new state and what was removed, in words (only what was actually there)."""
    new = copy_facts(state)
    removed: list[str] = []
    defaults = Facts()
    for path in fields:
        head, _, tail = path.partition(".")
        group = path
        if head in ("fracture_sites",):
            group = "prior_fragility_fracture"
        if head == "frax" and tail:
            group = "frax"
        try:
            before = get_group(new, group)
        except (ValueError, AttributeError):
            continue
        if before is None:
            continue
        shown = fact_name(group) if before is True else describe_group(new, group)  # "glucocorticoid use"
        if head in SCORE_KINDS and tail:
            getattr(new, head).pop(Site(tail), None)
        elif head == "conditions" and tail:
            new.conditions.pop(tail, None)
        elif head == "medications" and tail:
            new.medications = [m for m in new.medications if m.name != tail]
        elif head == "frax" and tail in ("major", "hip") and new.frax is not None:
            new.frax = new.frax.model_copy(update={tail: None})
            if new.frax.major is None and new.frax.hip is None:
                new.frax = None
            shown = f"FRAX {tail} {fmt(getattr(state.frax, tail))}%" if state.frax else shown
        elif head in ("prior_fragility_fracture", "fracture_sites"):
            new.prior_fragility_fracture = None
            new.fracture_sites = []
            for c in _FRACTURE_CONDITIONS:
                new.conditions.pop(c, None)
        elif head in Facts.model_fields and head not in ("sources", "mentions"):
            setattr(new, head, getattr(defaults, head))
        else:
            continue
        new.sources = {k: v for k, v in new.sources.items() if not (k == path or k.startswith(path + "."))}
        removed.append(shown)
    return new, removed


def last_score_path(f: Facts) -> str | None:
    """The score stated last ("t_scores.femoral_neck", "t_score_unsited"), from where its words were."""
    best: tuple[int, int] | None = None
    found: str | None = None
    for key, span in f.sources.items():
        head = key.partition(".")[0]
        if head not in SCORE_KINDS and key not in ("t_score_unsited", "z_score_unsited"):
            continue
        if _score_value(f, key) is None:
            continue
        pos = (span.turn or 0, span.start)
        if best is None or pos >= best:
            best, found = pos, key
    return found


def _score_value(f: Facts, path: str) -> float | None:
    if path in ("t_score_unsited", "z_score_unsited"):
        return getattr(f, path)
    head, _, tail = path.partition(".")
    try:
        return getattr(f, head).get(Site(tail))
    except (ValueError, AttributeError):
        return None


def relabel(state: Facts, from_path: str, site: Site) -> tuple[Facts, list[str]]:
    """Move the score at `from_path` to `site` ("sorry, that was the lumbar spine")."""
    value = _score_value(state, from_path)
    if value is None:
        return state, []
    kind = "z_scores" if from_path.startswith("z") else "t_scores"
    to_path = f"{kind}.{site.value}"
    if to_path == from_path:
        return state, []
    new = copy_facts(state)
    if from_path in ("t_score_unsited", "z_score_unsited"):
        setattr(new, from_path, None)
        old_place = "site not stated"
    else:
        getattr(new, kind).pop(Site(from_path.split(".", 1)[1]), None)
        old_place = label("sites", from_path.split(".", 1)[1])
    replaced = getattr(new, kind).get(site)
    getattr(new, kind)[site] = value
    span = new.sources.pop(from_path, None)
    if span is not None:
        new.sources[to_path] = span
    letter = "Z" if kind == "z_scores" else "T"
    text = f"{letter}-score {fmt(value)} is at the {label('sites', site.value)} (was {old_place})"
    if replaced is not None:
        text += f", replacing {fmt(replaced)}"
    return new, [text]


def move_fracture(state: Facts, from_site: FractureSite, to_site: FractureSite) -> tuple[Facts, list[str]]:
    """Move the patient's fracture from one site to another ("actually it was the spine, not the hip");
    nothing when no fracture is at `from_site`."""
    if from_site not in state.fracture_sites:
        return state, []
    new = copy_facts(state)
    sites = [to_site if s == from_site else s for s in state.fracture_sites]
    new.fracture_sites = list(dict.fromkeys(sites))
    text = f"fracture site {to_site.value} (was {from_site.value})"
    return new, [text]


def apply_event(state: Facts, event: Event) -> Facts:
    """One step of the fold. Events that do not change the patient's facts return the state as is."""
    if event.kind in (EventKind.ASSERTED, EventKind.CORRECTED) and event.facts is not None:
        return merge(state, event.facts, event.turn)[0]
    if event.kind == EventKind.RETRACTED:
        return retract(state, event.fields)[0]
    if event.kind == EventKind.RELABELLED and event.fields and event.value:
        if event.fields[0].startswith("fracture_sites."):
            return move_fracture(state, FractureSite(event.fields[0].split(".", 1)[1]),
                                 FractureSite(event.value.split(".", 1)[1]))[0]
        return relabel(state, event.fields[0], Site(event.value.split(".", 1)[1]))[0]
    if event.kind == EventKind.RESET:
        return Facts()
    return state


def fold(events: Iterable[Event]) -> Facts:
    """The patient's facts from a whole log (the conversation keeps the same fold incrementally)."""
    state = Facts()
    for e in events:
        state = apply_event(state, e)
    return state


def without_doubts(f: Facts) -> Facts:
    if not (f.questions or f.contradictions or f.notes):
        return f
    return f.model_copy(update={"questions": [], "contradictions": [], "notes": []})
