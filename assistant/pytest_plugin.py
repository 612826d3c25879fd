"""pytest plugin: collects transcript files (placeholder until the replay layer lands)."""
