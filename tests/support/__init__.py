"""Helpers shared by the tests (and nothing the product imports)."""
