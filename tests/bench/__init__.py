"""Benchmarks of the DESIGN.md section 6 targets (P1–P8): run `python -m tests.bench`."""
