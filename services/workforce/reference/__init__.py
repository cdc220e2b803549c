"""Coded reference data of the workforce service, with Vietnamese and English labels."""
