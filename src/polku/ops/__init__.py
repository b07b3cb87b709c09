"""The operations: one per question the doors (CLI, API, pages) ask, and the write contract."""
