"""The rules, one module per topic (the topic is the module's name; TOPICS in model.py gives their order).

Importing this package registers every rule. A rule module imports the model and the knowledge modules,
never another rule module: rules read what earlier rules concluded from the Assessment's named fields.
"""

from assistant.engine.rules import (  # noqa: F401 - imported to register their rules
    decision,
    diagnosis,
    drugs,
    duration,
    evidence,
    monitoring,
    pitfalls,
    profiles,
    risk,
    safety,
    scope,
    situations,
    special,
    universal,
    workup,
)
