"""What one service answers and another reads, declared once.

The reporting service computes the plan's indicators from the /stats answers of cases and
workforce, over HTTP only. The shapes of those answers, and the vocabularies they carry
(categories, facility kinds, sectors, kinds of post), live here: the producer declares its
route with these models and the consumer parses the answer into the same ones, so a field
renamed on one side fails type checking and tests on the other (tests/contract).

This package imports `shared` and nothing from `services` or `tools`.
"""
