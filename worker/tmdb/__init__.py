"""Talking to TMDB: the HTTP client, film details, and choosing the right film for a title."""
