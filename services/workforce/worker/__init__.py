"""People who do CTXH work: staff, collaborators and volunteers."""
