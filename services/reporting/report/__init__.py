"""Periodic reports: drafted, submitted (frozen), accepted or returned."""
