"""Test doubles shared by several test folders (no product code imports them)."""
