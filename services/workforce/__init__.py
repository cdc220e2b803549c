"""The workforce service: facilities, CTXH staff and collaborators, allowances, training."""
