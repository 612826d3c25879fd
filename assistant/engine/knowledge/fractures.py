"""Fractures: which count as fragility fractures, which sites establish osteoporosis, and their labels."""

from __future__ import annotations

from assistant.facts import Facts, FractureSite

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
_FRACTURE_ORDER = {s: i for i, s in enumerate(FractureSite)}  # the sites' order in FractureSite


def fracture_sites(f: Facts) -> list[FractureSite]:
    """Fracture sites that count as fragility fractures (none if the fracture was said to be traumatic)."""
    if f.prior_fragility_fracture is False:
        return []
    return list(f.fracture_sites)


def has_fragility_fracture(f: Facts) -> bool:
    """A fragility fracture, stated or implied by a fracture site or a fracture condition."""
    if f.prior_fragility_fracture is not None:
        return f.prior_fragility_fracture
    return (
        bool(f.fracture_sites)
        or f.has("recent_fracture")
        or f.has("multiple_fractures")
        or f.has("fracture_on_therapy")
    )


def fracture_label(sites: list[FractureSite] | set[FractureSite] | frozenset[FractureSite]) -> list[str]:
    """The sites' labels, in the order of FractureSite."""
    return [FRACTURE_LABELS[s] for s in sorted(sites, key=_FRACTURE_ORDER.__getitem__)]
