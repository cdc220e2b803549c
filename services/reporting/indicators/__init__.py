"""The ten indicators of the provincial plans: what each means and how it is computed."""
