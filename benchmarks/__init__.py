"""Benchmarks (make bench): speed and accuracy targets live here, not in unit tests."""
