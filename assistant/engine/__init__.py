"""The guideline engine: Facts -> Assessment. (Stub: replaced by the rules.)"""

from assistant.engine.model import Assessment
from assistant.facts import Facts, Intent


def assess(facts: Facts, intent: Intent = Intent.MANAGEMENT_OVERALL, profile: str = "us") -> Assessment:
    return Assessment(facts=facts, intent=intent, profile=profile)
