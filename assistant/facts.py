"""The domain's vocabulary: what we know about a patient, each fact with the words it came from.

`Facts` is what the parser produces from one message and what the conversation folds across
turns. Values are plain (an int age, a float T-score) so that rules read naturally; provenance
lives beside them in `sources` (field path -> `Span`) and in `mentions` (every concept the text
named, affirmed or not). Values the parser would not trust are kept aside in `questions`, never
in a field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Site(StrEnum):
    """DXA measurement sites used for diagnosis (ISCD)."""

    FEMORAL_NECK = "femoral_neck"
    TOTAL_HIP = "total_hip"
    LUMBAR_SPINE = "lumbar_spine"
    FOREARM_33 = "forearm_33"


SITE_LABELS: dict[Site, str] = {
    Site.FEMORAL_NECK: "femoral neck",
    Site.TOTAL_HIP: "total hip",
    Site.LUMBAR_SPINE: "lumbar spine",
    Site.FOREARM_33: "33% radius",
}


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class Menopause(StrEnum):
    PRE = "pre"
    PERI = "peri"
    POST = "post"


class FractureSite(StrEnum):
    HIP = "hip"
    VERTEBRAL = "vertebral"
    WRIST = "wrist"
    HUMERUS = "humerus"
    PELVIS = "pelvis"
    RIB = "rib"
    OTHER = "other"


class Status(StrEnum):
    """How a mention relates to the patient (ConText-style)."""

    AFFIRMED = "affirmed"
    NEGATED = "negated"
    FAMILY = "family"
    HISTORICAL = "historical"
    HYPOTHETICAL = "hypothetical"


@dataclass(slots=True, unsafe_hash=True)
class Span:
    """A stretch of the user's text: character offsets into the message and the words.

    A slots dataclass, not a model: the parser makes several per message and a dataclass costs a
    fraction of a model's validation; as a field of a model pydantic still validates it (from a dict or
    JSON) and dumps it as an object with the same keys. Never changed once made (a new Span instead, as
    the conversation does for its turn); not `frozen=True` only because that costs a call per field.
    """

    start: int
    end: int
    text: str
    turn: int | None = None  # which conversation turn it came from (set by the conversation)


class Frax(BaseModel):
    """FRAX 10-year probabilities in percent, as the user gave them (never computed here)."""

    major: float | None = None
    hip: float | None = None


class Medication(BaseModel):
    """An osteoporosis drug the text mentions, with what it says of its use."""

    name: str  # canonical lexicon concept, e.g. "alendronate"
    status: Status = Status.AFFIRMED  # affirmed = current; historical = past; negated = not on it
    years: float | None = None  # duration of use, when said
    since: int | None = None  # year started ("Prolia since 2019")
    last: int | None = None  # year of last dose ("last Reclast 2022")
    months_since_last: float | None = None  # months since the last dose ("last Prolia shot 10 months ago")
    dose_mg: float | None = None
    span: Span | None = None


@dataclass(slots=True, kw_only=True)
class Mention:
    """One concept the text named: the lexicon concept, its category and its context.

    A slots dataclass like `Span`, for the same reason: the parser makes one per concept of every message
    and the conversation one per mention it re-stamps with its turn (a model costs ten times as much to
    make); pydantic validates and dumps it as a field of `Facts` with the same keys. Made with keywords.
    """

    concept: str
    category: str
    status: Status = Status.AFFIRMED
    span: Span
    detail: str | None = None  # e.g. fracture site, or "traumatic"
    # why a mention that is not affirmed is set aside, in the context trigger's terms ("risk", "question",
    # "topic", "negated", "family", "hypothetical", "what-if", "historical", "withdrawn")
    why: str | None = None


class Question(BaseModel):
    """A value set aside because it is implausible or ambiguous: asked back, never used."""

    field: str
    value: str
    reason: str
    span: Span | None = None


class Note(BaseModel):
    """Something the parser did that the user should know ("two femoral neck values; the lowest is used").

    `kind` names a template in prompts/ (e.g. "several_values_lowest_used"); `values` fill it.
    """

    kind: str
    field: str
    values: list[str] = Field(default_factory=list)


class Contradiction(BaseModel):
    """Two statements in one message that cannot both be true."""

    field: str
    values: list[str]
    spans: list[Span] = Field(default_factory=list)


# Conditions and risk factors the engine reads, by concept id (True affirmed, False negated). The closed
# vocabulary: corpus/lexicon.yaml's `condition_vocabulary` names the same keys with their plain words, the
# parser produces only these and the engine tests only these (`assistant corpus check` holds all three).
KNOWN_CONDITIONS: tuple[str, ...] = (
    "osteoporosis_stated",
    "osteopenia_stated",
    "smoking",
    "alcohol_excess",
    "rheumatoid_arthritis",
    "parental_hip_fracture",
    "type1_diabetes",
    "type2_diabetes",
    "ckd",
    "dialysis",
    "recent_mi_or_stroke",
    "mi_or_stroke_history",
    "oesophageal_disorder",
    "cannot_stay_upright",
    "hypocalcaemia",
    "hyperparathyroidism",
    "falls",
    "recent_fracture",
    "fracture_on_therapy",
    "multiple_fractures",
    "vte_history",
    "breast_cancer_risk",
    "invasive_dental_work",
    "thigh_pain",
    "malabsorption",
    "bmd_declining",
    "hrt",
    # Situations a consultant must not miss (issue 16; the agreed vocabulary).
    "atypical_femur_fracture",
    "aromatase_inhibitor",
    "androgen_deprivation",
    "breast_cancer",
    "prostate_cancer",
    "bariatric_surgery",
    "osteomalacia",
    "cushings",
    "high_alkaline_phosphatase",
    "anaemia",
    "high_protein",
)


class Facts(BaseModel):
    """Everything known about the patient. None / empty means "not said"; never a guess."""

    model_config = ConfigDict(validate_assignment=False)

    age: int | None = None
    sex: Sex | None = None
    menopause: Menopause | None = None
    t_scores: dict[Site, float] = Field(default_factory=dict)
    z_scores: dict[Site, float] = Field(default_factory=dict)
    # A score given without a site ("T-score of -2.6"): used for the category, not put on a site.
    t_score_unsited: float | None = None
    z_score_unsited: float | None = None
    frax: Frax | None = None
    prior_fragility_fracture: bool | None = None
    fracture_sites: list[FractureSite] = Field(default_factory=list)
    glucocorticoids: bool | None = None
    glucocorticoid_dose_mg: float | None = None  # prednisone-equivalent mg/day
    glucocorticoid_months: float | None = None
    egfr: float | None = None  # mL/min/1.73m2, or CrCl when that is what was given
    egfr_is_crcl: bool = False
    ckd_stage: int | None = None  # 1-5 ("CKD stage 4", "CKD G5", "ESRD" = 5)
    alkaline_phosphatase: float | None = None  # U/L
    vitamin_d: float | None = None  # 25-OH vitamin D, ng/mL
    calcium: float | None = None  # serum calcium, mg/dL
    pth: float | None = None
    tsh: float | None = None
    weight_kg: float | None = None
    height_cm: float | None = None
    bmi: float | None = None  # kg/m2, as stated (or from a weight and a height stated together)
    medications: list[Medication] = Field(default_factory=list)
    conditions: dict[str, bool] = Field(default_factory=dict)
    # Provenance and doubts.
    sources: dict[str, Span] = Field(default_factory=dict)
    mentions: list[Mention] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)

    # -- convenience for rules -------------------------------------------------------------
    def body_mass_index(self) -> float | None:
        """BMI as stated, else from weight and height (kg/m2); None when neither is known."""
        if self.bmi is not None:
            return self.bmi
        if self.weight_kg and self.height_cm:
            return round(self.weight_kg / (self.height_cm / 100) ** 2, 1)
        return None

    def condition(self, name: str) -> bool | None:
        return self.conditions.get(name)

    def has(self, name: str) -> bool:
        return self.conditions.get(name) is True

    def current_drugs(self) -> list[str]:
        return [m.name for m in self.medications if m.status == Status.AFFIRMED]

    def drug(self, name: str) -> Medication | None:
        for m in self.medications:
            if m.name == name and m.status in (Status.AFFIRMED, Status.HISTORICAL):
                return m
        return None

    @property
    def is_female(self) -> bool:
        return self.sex == Sex.FEMALE

    def lowest_t(self) -> tuple[float, Site | None] | None:
        """Lowest T-score over the diagnostic sites; an unsited score counts with site None."""
        best: tuple[float, Site | None] | None = None
        for site in (Site.FEMORAL_NECK, Site.TOTAL_HIP, Site.LUMBAR_SPINE, Site.FOREARM_33):
            v = self.t_scores.get(site)
            if v is not None and (best is None or v < best[0]):
                best = (v, site)
        if self.t_score_unsited is not None and (best is None or self.t_score_unsited < best[0]):
            best = (self.t_score_unsited, None)
        return best

    def lowest_z(self) -> tuple[float, Site | None] | None:
        best: tuple[float, Site | None] | None = None
        for site, v in self.z_scores.items():
            if best is None or v < best[0]:
                best = (v, site)
        if self.z_score_unsited is not None and (best is None or self.z_score_unsited < best[0]):
            best = (self.z_score_unsited, None)
        return best

    def contract_dict(self) -> dict:
        """The contract's `facts` object (assistant.answer/1), plus extension keys."""
        return {
            "age": self.age,
            "sex": self.sex.value if self.sex else None,
            "menopause": self.menopause.value if self.menopause else None,
            "t_scores": {s.value: v for s, v in self.t_scores.items()},
            "z_scores": {s.value: v for s, v in self.z_scores.items()},
            "frax": {"major": self.frax.major, "hip": self.frax.hip} if self.frax else None,
            "prior_fragility_fracture": self.prior_fragility_fracture,
            "fracture_sites": [s.value for s in self.fracture_sites],
            "glucocorticoids": self.glucocorticoids,
            "egfr": self.egfr,
            "vitamin_d": self.vitamin_d,
            "medications": [_medication_dict(m) for m in self.medications],
            # Extensions (not in assistant.answer/1's required keys).
            "t_score_unsited": self.t_score_unsited,
            "z_score_unsited": self.z_score_unsited,
            "glucocorticoid_dose_mg": self.glucocorticoid_dose_mg,
            "calcium": self.calcium,
            "ckd_stage": self.ckd_stage,
            "alkaline_phosphatase": self.alkaline_phosphatase,
            "weight_kg": self.weight_kg,
            "height_cm": self.height_cm,
            "bmi": self.bmi,
            "conditions": dict(sorted(self.conditions.items())),
            "questions": [q.model_dump(mode="json") for q in self.questions],
            "contradictions": [c.model_dump(mode="json") for c in self.contradictions],
            "sources": {k: v.text for k, v in sorted(self.sources.items())},
        }


def _medication_dict(m: Medication) -> dict:
    """A medication's stated values, span left out (what `model_dump(mode="json")` gives, read directly:
    every field is a plain value or a StrEnum, and the replay checks read this for most turns)."""
    out: dict = {}
    for name in _MEDICATION_FIELDS:
        value = getattr(m, name)
        if value is not None:
            out[name] = value.value if isinstance(value, StrEnum) else value
    return out


_MEDICATION_FIELDS = tuple(name for name in Medication.model_fields if name != "span")


class Intent(StrEnum):
    """What the question asks for. The first intent of a message is its main one."""

    MANAGEMENT_OVERALL = "management_overall"
    TREAT_OR_NOT = "treat_or_not"
    DRUG_CHOICE = "drug_choice"
    DOSE = "dose"
    LABS_WORKUP = "labs_workup"
    SUPPLEMENTS = "supplements"
    MONITORING_INTERVAL = "monitoring_interval"
    DRUG_HOLIDAY_OR_DURATION = "drug_holiday_or_duration"
    DENOSUMAB_STOP = "denosumab_stop"
    DIAGNOSIS_CLASSIFICATION = "diagnosis_classification"
    RENAL_DOSING = "renal_dosing"
    GLUCOCORTICOID = "glucocorticoid"
    SCREENING = "screening"
    WHY = "why"
    SOURCES = "sources"
    MISSING_FACTS = "missing_facts"
    FULL_PLAN = "full_plan"
    RESET = "reset"
    COMPARE = "compare"
    OUT_OF_SCOPE = "out_of_scope"
    FACTS_ONLY = "facts_only"  # a message that only adds facts ("she's 67, FRAX 11/1.4")
    # Question kinds answered directly (the conversation assesses them under a related intent).
    SAFE_WITH = "safe_with"  # "is alendronate safe with omeprazole / before dental work?"
    COMBINATION = "combination"  # "Prolia together with Forteo?"
    DOSE_TIMING = "dose_timing"  # "Prolia given 3 weeks early?", "missed her alendronate"
    NEXT_DRUG = "next_drug"  # "what comes after teriparatide?"


class Parsed(BaseModel):
    """One message, understood: the facts it states, what-if facts, and what it asks."""

    text: str
    facts: Facts = Field(default_factory=Facts)
    hypothetical: Facts | None = None  # facts stated as a what-if; never folded into the state
    intents: list[Intent] = Field(default_factory=list)
    is_correction: bool = False  # "actually she's 58", "sorry, that was the lumbar spine"
    retract: list[str] = Field(default_factory=list)  # field paths withdrawn ("no fracture after all")
    show_citation: int | None = None  # "show 2"
    relabel_site: Site | None = None  # "sorry, that was the lumbar spine": move the last score to this site
    # "actually it was the spine, not the hip": the site denied and the site meant, as fracture sites (hip ->
    # vertebral). When the patient's fracture is at the denied site, the fracture moves and no score does.
    relabel_fracture: tuple[FractureSite, FractureSite] | None = None
    profile: str | None = None  # "use the AACE profile"
    unrecognised: bool = False  # nothing in it could be read
    other_topics: list[Span] = Field(default_factory=list)  # words of other clinical topics ("dementia"): not used

    @property
    def intent(self) -> Intent:
        return self.intents[0] if self.intents else Intent.MANAGEMENT_OVERALL
