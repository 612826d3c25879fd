"""What many rules read, computed once per assessment instead of once per rule.

The facts do not change while the rules run, so the values derived from them alone (lowest T-score,
Z-score rule, current drugs, adjusted FRAX) are computed once, when a rule first asks. The recommendations
grow as findings are applied (and tests may append to them by hand), so their index catches up with the
list each time it is read. The memo lives on the assessment (`Assessment.derived`, `Assessment.recs_index`)
and is never output.

`FactsView` is the facts as the rules read them in `assess` (see its docstring).
"""

from __future__ import annotations

from assistant.engine.diagnosis import uses_z_scores
from assistant.engine.drugs import canonical, current
from assistant.engine.model import Recommendation, Section
from assistant.engine.risk import FraxView, adjusted_frax
from assistant.facts import Facts, Status

_TAKEN = (Status.AFFIRMED, Status.HISTORICAL)
_DRUGS = Section.DRUGS  # read once: a read through the enum class costs about 100 ns


class FactsView:
    """The facts, with the same fields and helper methods as `Facts`, read as plain attributes.

    `assess` hands this view to the rules instead of the pydantic model: a BaseModel defines `__getattr__`,
    which sends every attribute read down Python's slow path (measured 45 ns against 13 ns for a plain read),
    and the rules read the facts about 160 times per assessment. The view holds the facts' own field values
    (the same objects, not copies); the rules never change it, and it is never output.
    """

    def __init__(self, f: Facts) -> None:
        vars(self).update(vars(f))  # made once per assessment, with the memo (Derived.view)
        # `has` and `condition` (asked some thirty-five times per assessment) as methods of built-in containers:
        # the same answers as Facts.has / Facts.condition, without a Python call each time.
        conditions = f.conditions
        self.condition = conditions.get
        self.has = {name for name, on in conditions.items() if on is True}.__contains__


# The helpers of Facts (has, condition, lowest_t, is_female, ...), shared as they are: they only read fields.
for _name, _value in vars(Facts).items():
    if not _name.startswith(("_", "model_")) and (callable(_value) or isinstance(_value, property)):
        setattr(FactsView, _name, _value)


class Derived:
    """Values derived from one assessment's facts, and an index of its recommendations so far."""

    __slots__ = (
        "facts",
        "view",
        "lowest_t",
        "uses_z_scores",
        "current",
        "taken",
        "frax",
        "_recs",
        "_indexed",
        "rec_ids",
        "sections",
        "offered",
    )

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.view = f = FactsView(facts)  # what the rules read (assess hands it to them), read here too
        self.lowest_t: tuple[float, object] | None = f.lowest_t()
        self.uses_z_scores: bool = uses_z_scores(f)
        self.current: tuple[str, ...] = tuple(current(f))  # osteoporosis drugs taken now, canonical names
        self.taken: frozenset[str] = frozenset(canonical(m.name) for m in f.medications if m.status in _TAKEN)
        self.frax: FraxView | None = adjusted_frax(f)  # shared by the rules that read it: never changed
        self._recs: list[Recommendation] | None = None  # the index (below) is made by the first `index` call
        self._indexed = 0

    def index(self, recs: list[Recommendation]) -> Derived:
        """Bring the recommendation index up to date with `recs` (appended to, never edited in place)."""
        if recs is not self._recs or len(recs) < self._indexed:
            self._recs, self._indexed = recs, 0
            self.rec_ids: set[str] = set()
            self.sections: set[Section] = set()
            self.offered: set[str] = set()  # drugs offered as a new start ('drug-<name>' in the drugs section)
        if len(recs) > self._indexed:
            rec_ids, sections, offered = self.rec_ids, self.sections, self.offered
            # A plain loop: map(attrgetter(...)) over these slots objects costs more than reading the fields here.
            for r in recs[self._indexed :]:
                rid = r.id
                rec_ids.add(rid)
                sections.add(r.section)
                if r.section == _DRUGS and rid.startswith("drug-") and not rid.startswith("drug-current-"):
                    offered.add(rid.removeprefix("drug-").replace("-", "_"))
            self._indexed = len(recs)
        return self
