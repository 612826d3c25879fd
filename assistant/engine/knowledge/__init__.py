"""What the engine knows, apart from its rules: leaf modules of clinical knowledge.

Each module here holds one idea (bone density categories, fractures, FRAX inputs and adjustments, drug
classes, very-high-risk criteria, guideline profiles, the thresholds file) as data and pure functions. They
import the facts, the engine's model and each other, never a rule module, and register no rule.
"""
