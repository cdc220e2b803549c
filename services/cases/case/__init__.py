"""Cases (hồ sơ): one episode of support for one person, and its lifecycle."""
