"""Diagnosis: WHO category from the lowest T-score, Z-score rules for younger adults, and the
fracture-based (clinical) diagnosis of osteoporosis. Also the shared predicates other topics read.
"""

from __future__ import annotations

from assistant.engine.knowledge.bmd import (
    CATEGORY_LABELS,
    T_NORMAL,
    T_OSTEOPOROSIS,
    Z_BELOW_EXPECTED,
    site_label,
    stated_category,
    who_category,
    who_younger,
)
from assistant.engine.knowledge.fractures import (
    AACE_LOW_MASS_SITES,
    HIP_OR_VERTEBRAL,
    fracture_label,
    fracture_sites,
    has_fragility_fracture,
)
from assistant.engine.knowledge.profiles import get_profile
from assistant.engine.model import Assessment, Category, Finding, Recommendation, Section, rule
from assistant.facts import Facts

WHO_CITES = ["who-1994#t-score-categories", "iscd-2019#diagnostic-sites"]
Z_CITES = ["iscd-2019#z-scores-younger-adults", "iscd-2019#diagnostic-sites"]
FRACTURE_CITES = ["bhof-2022#clinical-diagnosis", "aace-2020#clinical-diagnosis"]


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
        return Finding(
            result="younger adult with T-scores only: Z-scores needed, no WHO category",
            used=["age", "sex", "menopause", "t_scores"],
            threshold=f"Z-score <= {Z_BELOW_EXPECTED} below the expected range for age",
            missing=["z_scores"],
            recommendations=[
                Recommendation(
                    id="dx-z-score-needed",
                    section=Section.DIAGNOSIS,
                    statement="dx-z-score-needed",
                    params={"who": who},
                    citations=Z_CITES,
                )
            ],
        )
    z, site = low
    below = z <= Z_BELOW_EXPECTED.value
    cat = Category.BELOW_EXPECTED_FOR_AGE if below else Category.WITHIN_EXPECTED_FOR_AGE
    return Finding(
        result=f"{cat.value} (lowest Z {z} at {site_label(site)})",
        used=["age", "sex", "menopause", "z_scores"],
        threshold=f"Z-score <= {Z_BELOW_EXPECTED} below the expected range for age",
        category=cat,
        site=site,
        basis="z-score",
        recommendations=[
            Recommendation(
                id="dx-z-score",
                section=Section.DIAGNOSIS,
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
    return Finding(
        result=f"{cat.value} (lowest T {t} at {site_label(site)})",
        used=["t_scores"],
        threshold=f"normal >= {T_NORMAL}; osteoporosis <= {T_OSTEOPOROSIS}",
        category=cat,
        lowest_t_score=t,
        site=site,
        basis="bmd",
        recommendations=[
            Recommendation(
                id="dx-who-category",
                section=Section.DIAGNOSIS,
                statement="dx-who-category",
                params={"t": t, "site": site_label(site), "sited": site is not None, "label": CATEGORY_LABELS[cat]},
                citations=WHO_CITES,
            )
        ],
    )


@rule("dx-stated-diagnosis", topic="diagnosis", cites=WHO_CITES)
def stated_diagnosis(f: Facts, a: Assessment) -> Finding | None:
    """No DXA numbers: the category the question states. With numbers, the numbers win."""
    stated = stated_category(f)
    if stated is None or a.derived.uses_z_scores:
        return None
    low = a.derived.lowest_t
    if low is None:
        return Finding(
            result=f"{stated.value} as stated (no DXA values given)",
            used=[
                "conditions.osteoporosis_stated" if stated == Category.OSTEOPOROSIS else "conditions.osteopenia_stated"
            ],
            category=stated,
            basis="stated",
            missing=["t_scores"],
            recommendations=[
                Recommendation(
                    id="dx-stated",
                    section=Section.DIAGNOSIS,
                    statement="dx-stated",
                    params={"label": CATEGORY_LABELS[stated]},
                    citations=WHO_CITES,
                )
            ],
        )
    by_numbers = who_category(low[0])
    if by_numbers == stated:
        return None
    return Finding(
        result=f"stated {stated.value} but T {low[0]} is {by_numbers.value}: the numbers are used",
        used=["t_scores", "conditions"],
        threshold=f"normal >= {T_NORMAL}; osteoporosis <= {T_OSTEOPOROSIS}",
        recommendations=[
            Recommendation(
                id="dx-numbers-win",
                section=Section.DIAGNOSIS,
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
    if low is None or a.derived.uses_z_scores or low[0] > T_OSTEOPOROSIS.value or not has_fragility_fracture(f):
        return None
    t, site = low
    return Finding(
        result=f"severe osteoporosis (T {t} with a fragility fracture)",
        used=["t_scores", "prior_fragility_fracture", "fracture_sites"],
        threshold=f"T-score <= {T_OSTEOPOROSIS} plus a fragility fracture",
        category=Category.SEVERE_OSTEOPOROSIS,
        lowest_t_score=t,
        site=site,
        basis="bmd+fracture",
        recommendations=[
            Recommendation(
                id="dx-severe",
                section=Section.DIAGNOSIS,
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
    if not sites or a.classification.category in (Category.OSTEOPOROSIS, Category.SEVERE_OSTEOPOROSIS):
        return None
    low = a.derived.lowest_t
    return Finding(
        result=f"osteoporosis by a {'/'.join(fracture_label(sites))} fragility fracture",
        used=["fracture_sites", "prior_fragility_fracture", "t_scores"],
        threshold="hip or vertebral fragility fracture, whatever the T-score",
        category=Category.OSTEOPOROSIS,
        lowest_t_score=low[0] if low else None,
        site=low[1] if low else None,
        basis="fracture",
        recommendations=[
            Recommendation(
                id="dx-fracture-osteoporosis",
                section=Section.DIAGNOSIS,
                statement="dx-fracture-osteoporosis",
                params={"sites": fracture_label(sites), "t": low[0] if low else None},
                citations=FRACTURE_CITES,
            )
        ],
    )


@rule("dx-aace-low-mass-fracture", topic="diagnosis", cites=["aace-2020#clinical-diagnosis"])
def aace_low_mass_fracture(f: Facts, a: Assessment) -> Finding | None:
    """AACE: low bone mass plus a pelvis, proximal humerus or distal forearm fragility fracture."""
    if a.classification.category != Category.OSTEOPENIA:
        return None
    if not get_profile(a.profile).decision.low_mass_fracture:
        return None  # profiles that keep the densitometric label (ACP, Endocrine; sources.md §11.5)
    sites = AACE_LOW_MASS_SITES.intersection(fracture_sites(f))
    if not sites:
        return None
    return Finding(
        result=f"osteoporosis (AACE): low bone mass with a {'/'.join(fracture_label(sites))} fragility fracture",
        used=["t_scores", "fracture_sites", "prior_fragility_fracture"],
        threshold=f"T-score between {T_NORMAL} and {T_OSTEOPOROSIS} plus pelvis, proximal humerus or distal forearm "
        "fragility fracture",
        category=Category.OSTEOPOROSIS,
        lowest_t_score=a.classification.lowest_t_score,
        site=a.classification.site,
        basis="fracture (AACE)",
        recommendations=[
            Recommendation(
                id="dx-aace-fracture",
                section=Section.DIAGNOSIS,
                statement="dx-aace-fracture",
                params={"sites": fracture_label(sites)},
                citations=["aace-2020#clinical-diagnosis"],
            )
        ],
    )
