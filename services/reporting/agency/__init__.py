"""Agencies that report to the lead department on a plan: the registry and its kinds."""
