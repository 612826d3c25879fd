"""Bone density: the WHO T-score categories, the ISCD Z-score rule for younger adults, and their labels."""

from __future__ import annotations

from assistant.engine.knowledge.thresholds import threshold
from assistant.engine.model import Assessment, Category
from assistant.facts import SITE_LABELS, Facts, Menopause, Sex, Site

# WHO 1994 / ISCD 2019 categories: -1.0 is still normal, -2.5 is already osteoporosis (corpus/thresholds.yaml).
T_NORMAL = threshold("t-score-normal")
T_OSTEOPOROSIS = threshold("t-score-osteoporosis")
Z_BELOW_EXPECTED = threshold("z-score-below-expected")
T_SCORE_AGE = threshold("t-score-age")

CATEGORY_LABELS: dict[Category, str] = {
    Category.NORMAL: "normal bone density",
    Category.OSTEOPENIA: "low bone mass (osteopenia)",
    Category.OSTEOPOROSIS: "osteoporosis",
    Category.SEVERE_OSTEOPOROSIS: "severe (established) osteoporosis",
    Category.BELOW_EXPECTED_FOR_AGE: "below the expected range for age",
    Category.WITHIN_EXPECTED_FOR_AGE: "within the expected range for age",
}


def uses_z_scores(f: Facts) -> bool:
    """Premenopausal women and men under 50: Z-scores, not T-scores (ISCD)."""
    if f.menopause == Menopause.PRE:
        return True
    if f.age is None or f.age >= T_SCORE_AGE.value:
        return False
    if f.sex == Sex.MALE:
        return True
    # A woman (or a patient of unstated sex) under 50 not said to be peri- or postmenopausal.
    return f.menopause is None


def who_younger(f: Facts) -> str:
    """How the under-50 / premenopausal patient is named in statements."""
    if f.menopause == Menopause.PRE:
        return "a premenopausal woman"
    if f.sex == Sex.FEMALE:
        return f"a woman under {T_SCORE_AGE}"
    if f.sex == Sex.MALE:
        return f"a man under {T_SCORE_AGE}"
    return f"an adult under {T_SCORE_AGE}"


def site_label(site: Site | None) -> str:
    return SITE_LABELS[site] if site is not None else "site not given"


def who_category(t: float) -> Category:
    """The WHO category of a T-score."""
    if t >= T_NORMAL.value:
        return Category.NORMAL
    if t <= T_OSTEOPOROSIS.value:
        return Category.OSTEOPOROSIS
    return Category.OSTEOPENIA


def stated_category(f: Facts) -> Category | None:
    """The category the question states ("osteoporosis", "osteopenia"), if any."""
    if f.has("osteoporosis_stated"):
        return Category.OSTEOPOROSIS
    if f.has("osteopenia_stated"):
        return Category.OSTEOPENIA
    return None


def low_bone_mass(f: Facts, a: Assessment) -> bool:
    """Low bone mass by the numbers, or by a stated diagnosis when no numbers were given."""
    low = a.derived.lowest_t
    if low is not None and not a.derived.uses_z_scores:
        return who_category(low[0]) == Category.OSTEOPENIA
    return low is None and f.has("osteopenia_stated") and not f.has("osteoporosis_stated")
