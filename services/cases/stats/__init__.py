"""Aggregates for reporting: distinct people by category, sex, age, ward, service and funding."""
