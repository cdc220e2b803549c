"""Infrastructure shared by the ctxh services: settings, database, errors, auth, HTTP plumbing."""
