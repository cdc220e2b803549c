"""Typed HTTP clients for the cases and workforce services."""
