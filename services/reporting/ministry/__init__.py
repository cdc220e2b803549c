"""What the ministry pulls: submitted figures, never personal data."""
