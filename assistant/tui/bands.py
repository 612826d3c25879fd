"""Band limits for the picture: they live in assistant/picture_data.py, shared with the HTML handout."""

from __future__ import annotations

from assistant.picture_data import Bands, bands

__all__ = ["Bands", "bands"]
