"""Edits made offline that met someone else's change to the same field."""
