"""Guideline assistant: deterministic, cited answers on osteopenia and osteoporosis."""

__version__ = "0.1.0"
