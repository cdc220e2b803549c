"""Coded reference data of the cases service, with Vietnamese and English labels."""
