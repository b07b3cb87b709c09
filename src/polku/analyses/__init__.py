"""The analyses: plain functions, graph in, plain data out (no language, no printing)."""
