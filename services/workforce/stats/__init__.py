"""Aggregates for the reporting service, computed in SQL."""
