"""Figures that records cannot give, entered by hand for a unit and a period."""
