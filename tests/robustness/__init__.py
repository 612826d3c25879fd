"""Robustness: hostile inputs, property-tested invariants, offline and determinism checks."""
