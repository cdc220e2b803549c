"""Transfers: a person moving to another province, accepted by that province."""
