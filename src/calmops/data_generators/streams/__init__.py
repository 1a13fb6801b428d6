"""Synthetic stream generators, concept schedules and stream options."""
