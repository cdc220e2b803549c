"""Inside a case: assessments, plans, services, follow-ups, notes, referrals, consents."""
