"""Drift injection into any DataFrame: selectors, profiles and operations."""
