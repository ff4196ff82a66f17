"""Shared machinery of the test-suite: a real PostgreSQL, real processes, loopback servers."""
