"""Briefs on the diplomacy of the Russia–Ukraine war, built from a curated, sourced dataset."""

__version__ = "0.1.0"
