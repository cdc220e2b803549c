"""The reporting service: plans, targets, periodic reports and the ministry's pull."""
