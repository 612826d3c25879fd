"""Leaf modules of clinical knowledge: data read from corpus/, no rules, no imports of the engine."""
