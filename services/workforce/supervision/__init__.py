"""Supervision: checks of compliance with professional ethics and the law."""
