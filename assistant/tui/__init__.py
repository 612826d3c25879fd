"""The terminal app (Textual): chat, facts, reasoning, sources and a picture. Talks only to Conversation."""
