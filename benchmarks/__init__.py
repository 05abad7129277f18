"""Benchmarks driven by `scripts/bench`; not part of the installed package."""
