"""Pinyin and fuzzy matter search."""
