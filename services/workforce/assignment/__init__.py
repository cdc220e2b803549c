"""Positions of workers at facilities over time, and their monthly allowances."""
