"""Benchmarks (SPEC §8): run with `make bench`; figures go to bench/results/."""
