"""Who may see what: unit scopes as SQL conditions, and the log of reads of personal data."""
