"""Pieces both processes use: named SQL, logging, environment parsing.

`api` and `worker` never import each other; their contract is the schema in `sql/`.
"""
