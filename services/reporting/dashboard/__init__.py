"""The dashboard: every target of a plan as of today, with its trend over the reports so far."""
