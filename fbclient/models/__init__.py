"""The FreshBooks records as models, and how they are read in bulk."""

from ._fast import forget_parsed_values

__all__ = ["forget_parsed_values"]
