"""Importing people from a province's sheets, in jobs of up to 200,000 rows."""
