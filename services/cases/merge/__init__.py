"""Merging two records of one person into one, reversibly (and undoing the merge)."""
