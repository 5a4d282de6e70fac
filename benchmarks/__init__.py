"""Benchmarks: programs that print numbers (`python -m benchmarks` runs them all)."""
