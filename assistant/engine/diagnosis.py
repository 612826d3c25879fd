"""Diagnosis: WHO category from the lowest T-score, Z-score rules for younger adults, and the
fracture-based (clinical) diagnosis of osteoporosis. Also the shared predicates other topics read.
"""

from __future__ import annotations

from assistant.engine.model import Assessment, Category, Finding, Section, finding, recommendation, rule
from assistant.engine.profiles import get_profile
from assistant.facts import SITE_LABELS, Facts, FractureSite, Menopause, Sex, Site

# WHO 1994 / ISCD 2019 categories: -1.0 is still normal, -2.5 is already osteoporosis.
NORMAL_T_MIN = -1.0  # T-score >= -1.0 is normal (who-1994#t-score-categories)
OSTEOPOROSIS_T_MAX = -2.5  # T-score <= -2.5 is osteoporosis (who-1994#t-score-categories)
# ISCD: Z-score <= -2.0 is "below the expected range for age" (iscd-2019#z-scores-younger-adults).
Z_BELOW_EXPECTED_MAX = -2.0
# T-score categories apply to men from this age; younger men and premenopausal women use Z-scores.
T_SCORE_AGE = 50  # iscd-2019#z-scores-younger-adults, bhof-2022#who-to-treat

# Fracture sites that establish osteoporosis whatever the T-score (bhof-2022#clinical-diagnosis).
HIP_OR_VERTEBRAL = frozenset({FractureSite.HIP, FractureSite.VERTEBRAL})
# AACE/ACE: low bone mass plus a fragility fracture at these sites is osteoporosis (aace-2020#clinical-diagnosis).
AACE_LOW_MASS_SITES = frozenset({FractureSite.PELVIS, FractureSite.HUMERUS, FractureSite.WRIST})

FRACTURE_LABELS: dict[FractureSite, str] = {
    FractureSite.HIP: "hip",
    FractureSite.VERTEBRAL: "vertebral",
    FractureSite.WRIST: "distal forearm (wrist)",
    FractureSite.HUMERUS: "proximal humerus",
    FractureSite.PELVIS: "pelvis",
    FractureSite.RIB: "rib",
    FractureSite.OTHER: "other",
}

CATEGORY_LABELS: dict[Category, str] = {
    Category.NORMAL: "normal bone density",
    Category.OSTEOPENIA: "low bone mass (osteopenia)",
    Category.OSTEOPOROSIS: "osteoporosis",
    Category.SEVERE_OSTEOPOROSIS: "severe (established) osteoporosis",
    Category.BELOW_EXPECTED_FOR_AGE: "below the expected range for age",
    Category.WITHIN_EXPECTED_FOR_AGE: "within the expected range for age",
}

WHO_CITES = ["who-1994#t-score-categories", "iscd-2019#diagnostic-sites"]
Z_CITES = ["iscd-2019#z-scores-younger-adults", "iscd-2019#diagnostic-sites"]
FRACTURE_CITES = ["bhof-2022#clinical-diagnosis", "aace-2020#clinical-diagnosis"]


# Enum members the rules read, bound once: a read through the enum class costs about 100 ns.
_NORMAL = Category.NORMAL
_OSTEOPENIA = Category.OSTEOPENIA
_OSTEOPOROSIS = Category.OSTEOPOROSIS
_SEVERE_OSTEOPOROSIS = Category.SEVERE_OSTEOPOROSIS
_BELOW_EXPECTED_FOR_AGE = Category.BELOW_EXPECTED_FOR_AGE
_WITHIN_EXPECTED_FOR_AGE = Category.WITHIN_EXPECTED_FOR_AGE
_DIAGNOSIS = Section.DIAGNOSIS
_PRE = Menopause.PRE
_MALE = Sex.MALE
_FEMALE = Sex.FEMALE


# -- shared predicates (read by risk, decision, evidence, special, pitfalls) -----------------------
def uses_z_scores(f: Facts) -> bool:
    """Premenopausal women and men under 50: Z-scores, not T-scores (ISCD)."""
    if f.menopause == _PRE:
        return True
    if f.age is None or f.age >= T_SCORE_AGE:
        return False
    if f.sex == _MALE:
        return True
    # A woman (or a patient of unstated sex) under 50 not said to be peri- or postmenopausal.
    return f.menopause is None


def who_younger(f: Facts) -> str:
    """How the under-50 / premenopausal patient is named in statements."""
    if f.menopause == _PRE:
        return "a premenopausal woman"
    if f.sex == _FEMALE:
        return "a woman under 50"
    if f.sex == _MALE:
        return "a man under 50"
    return "an adult under 50"


def fracture_sites(f: Facts) -> list[FractureSite]:
    """Fracture sites that count as fragility fractures (none if the fracture was said to be traumatic)."""
    if f.prior_fragility_fracture is False:
        return []
    return list(f.fracture_sites)


def has_fragility_fracture(f: Facts) -> bool:
    if f.prior_fragility_fracture is not None:
        return f.prior_fragility_fracture
    return (
        bool(f.fracture_sites)
        or f.has("recent_fracture")
        or f.has("multiple_fractures")
        or f.has("fracture_on_therapy")
    )


def site_label(site: Site | None) -> str:
    return SITE_LABELS[site] if site is not None else "site not given"


_FRACTURE_ORDER = {s: i for i, s in enumerate(FractureSite)}  # the sites' order in FractureSite


def fracture_label(sites: list[FractureSite] | set[FractureSite] | frozenset[FractureSite]) -> list[str]:
    return [FRACTURE_LABELS[s] for s in sorted(sites, key=_FRACTURE_ORDER.__getitem__)]


def who_category(t: float) -> Category:
    if t >= NORMAL_T_MIN:
        return _NORMAL
    if t <= OSTEOPOROSIS_T_MAX:
        return _OSTEOPOROSIS
    return _OSTEOPENIA


def low_bone_mass(f: Facts, a: Assessment) -> bool:
    """Low bone mass by the numbers, or by a stated diagnosis when no numbers were given."""
    low = a.derived.lowest_t
    if low is not None and not a.derived.uses_z_scores:
        return who_category(low[0]) == _OSTEOPENIA
    return low is None and f.has("osteopenia_stated") and not f.has("osteoporosis_stated")


def _stated_category(f: Facts) -> Category | None:
    if f.has("osteoporosis_stated"):
        return _OSTEOPOROSIS
    if f.has("osteopenia_stated"):
        return _OSTEOPENIA
    return None


# -- rules ------------------------------------------------------------------------------------------
@rule("dx-z-score-younger-adult", topic="diagnosis", cites=Z_CITES)
def z_score_category(f: Facts, a: Assessment) -> Finding | None:
    """Premenopausal women and men under 50: Z-score <= -2.0 is below the expected range for age."""
    if not a.derived.uses_z_scores:
        return None
    low = f.lowest_z()
    who = who_younger(f)
    if low is None:
        if a.derived.lowest_t is None:
            return None
        return finding(
            result="younger adult with T-scores only: Z-scores needed, no WHO category",
            used=["age", "sex", "menopause", "t_scores"],
            threshold="Z-score <= -2.0 below the expected range for age",
            missing=["z_scores"],
            recommendations=[
                recommendation(
                    id="dx-z-score-needed",
                    section=_DIAGNOSIS,
                    statement="dx-z-score-needed",
                    params={"who": who},
                    citations=Z_CITES,
                )
            ],
        )
    z, site = low
    below = z <= Z_BELOW_EXPECTED_MAX
    cat = _BELOW_EXPECTED_FOR_AGE if below else _WITHIN_EXPECTED_FOR_AGE
    return finding(
        result=f"{cat.value} (lowest Z {z} at {site_label(site)})",
        used=["age", "sex", "menopause", "z_scores"],
        threshold="Z-score <= -2.0 below the expected range for age",
        category=cat,
        site=site,
        basis="z-score",
        recommendations=[
            recommendation(
                id="dx-z-score",
                section=_DIAGNOSIS,
                statement="dx-z-below-expected" if below else "dx-z-within-expected",
                params={"who": who, "z": z, "site": site_label(site)},
                citations=Z_CITES,
            )
        ],
    )


@rule("dx-who-t-score", topic="diagnosis", cites=WHO_CITES)
def who_t_score(f: Facts, a: Assessment) -> Finding | None:
    """WHO category from the lowest T-score of femoral neck, total hip, lumbar spine (or 33% radius)."""
    low = a.derived.lowest_t
    if low is None or a.derived.uses_z_scores:
        return None
    t, site = low
    cat = who_category(t)
    return finding(
        result=f"{cat.value} (lowest T {t} at {site_label(site)})",
        used=["t_scores"],
        threshold="normal >= -1.0; osteoporosis <= -2.5",
        category=cat,
        lowest_t_score=t,
        site=site,
        basis="bmd",
        recommendations=[
            recommendation(
                id="dx-who-category",
                section=_DIAGNOSIS,
                statement="dx-who-category",
                params={"t": t, "site": site_label(site), "sited": site is not None, "label": CATEGORY_LABELS[cat]},
                citations=WHO_CITES,
            )
        ],
    )


@rule("dx-stated-diagnosis", topic="diagnosis", cites=WHO_CITES)
def stated_diagnosis(f: Facts, a: Assessment) -> Finding | None:
    """No DXA numbers: the category the question states. With numbers, the numbers win."""
    stated = _stated_category(f)
    if stated is None or a.derived.uses_z_scores:
        return None
    low = a.derived.lowest_t
    if low is None:
        return finding(
            result=f"{stated.value} as stated (no DXA values given)",
            used=["conditions.osteoporosis_stated" if stated == _OSTEOPOROSIS else "conditions.osteopenia_stated"],
            category=stated,
            basis="stated",
            missing=["t_scores"],
            recommendations=[
                recommendation(
                    id="dx-stated",
                    section=_DIAGNOSIS,
                    statement="dx-stated",
                    params={"label": CATEGORY_LABELS[stated]},
                    citations=WHO_CITES,
                )
            ],
        )
    by_numbers = who_category(low[0])
    if by_numbers == stated:
        return None
    return finding(
        result=f"stated {stated.value} but T {low[0]} is {by_numbers.value}: the numbers are used",
        used=["t_scores", "conditions"],
        threshold="normal >= -1.0; osteoporosis <= -2.5",
        recommendations=[
            recommendation(
                id="dx-numbers-win",
                section=_DIAGNOSIS,
                statement="dx-numbers-win",
                params={"stated": CATEGORY_LABELS[stated], "t": low[0], "label": CATEGORY_LABELS[by_numbers]},
                citations=WHO_CITES,
            )
        ],
    )


@rule("dx-severe-osteoporosis", topic="diagnosis", cites=["who-1994#t-score-categories"])
def severe_osteoporosis(f: Facts, a: Assessment) -> Finding | None:
    """T-score <= -2.5 with one or more fragility fractures: severe (established) osteoporosis."""
    low = a.derived.lowest_t
    if low is None or a.derived.uses_z_scores or low[0] > OSTEOPOROSIS_T_MAX or not has_fragility_fracture(f):
        return None
    t, site = low
    return finding(
        result=f"severe osteoporosis (T {t} with a fragility fracture)",
        used=["t_scores", "prior_fragility_fracture", "fracture_sites"],
        threshold="T-score <= -2.5 plus a fragility fracture",
        category=_SEVERE_OSTEOPOROSIS,
        lowest_t_score=t,
        site=site,
        basis="bmd+fracture",
        recommendations=[
            recommendation(
                id="dx-severe",
                section=_DIAGNOSIS,
                statement="dx-severe",
                params={"t": t},
                citations=["who-1994#t-score-categories"],
            )
        ],
    )


@rule("dx-hip-vertebral-fracture", topic="diagnosis", cites=FRACTURE_CITES)
def hip_vertebral_fracture(f: Facts, a: Assessment) -> Finding | None:
    """A hip or vertebral fragility fracture is osteoporosis whatever the T-score (BHOF, AACE)."""
    if a.derived.uses_z_scores:
        return None
    sites = HIP_OR_VERTEBRAL.intersection(fracture_sites(f))
    if not sites or a.classification.category in (_OSTEOPOROSIS, _SEVERE_OSTEOPOROSIS):
        return None
    low = a.derived.lowest_t
    return finding(
        result=f"osteoporosis by a {'/'.join(fracture_label(sites))} fragility fracture",
        used=["fracture_sites", "prior_fragility_fracture", "t_scores"],
        threshold="hip or vertebral fragility fracture, whatever the T-score",
        category=_OSTEOPOROSIS,
        lowest_t_score=low[0] if low else None,
        site=low[1] if low else None,
        basis="fracture",
        recommendations=[
            recommendation(
                id="dx-fracture-osteoporosis",
                section=_DIAGNOSIS,
                statement="dx-fracture-osteoporosis",
                params={"sites": fracture_label(sites), "t": low[0] if low else None},
                citations=FRACTURE_CITES,
            )
        ],
    )


@rule("dx-aace-low-mass-fracture", topic="diagnosis", cites=["aace-2020#clinical-diagnosis"])
def aace_low_mass_fracture(f: Facts, a: Assessment) -> Finding | None:
    """AACE: low bone mass plus a pelvis, proximal humerus or distal forearm fragility fracture."""
    if a.classification.category != _OSTEOPENIA:
        return None
    if not get_profile(a.profile).decision.low_mass_fracture:
        return None  # profiles that keep the densitometric label (ACP, Endocrine; sources.md §11.5)
    sites = AACE_LOW_MASS_SITES.intersection(fracture_sites(f))
    if not sites:
        return None
    return finding(
        result=f"osteoporosis (AACE): low bone mass with a {'/'.join(fracture_label(sites))} fragility fracture",
        used=["t_scores", "fracture_sites", "prior_fragility_fracture"],
        threshold="T-score between -1.0 and -2.5 plus pelvis, proximal humerus or distal forearm fragility fracture",
        category=_OSTEOPOROSIS,
        lowest_t_score=a.classification.lowest_t_score,
        site=a.classification.site,
        basis="fracture (AACE)",
        recommendations=[
            recommendation(
                id="dx-aace-fracture",
                section=_DIAGNOSIS,
                statement="dx-aace-fracture",
                params={"sites": fracture_label(sites)},
                citations=["aace-2020#clinical-diagnosis"],
            )
        ],
    )
