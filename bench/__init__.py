"""Benchmarks: each prints the figure an issue sets a target for (`make bench`)."""
