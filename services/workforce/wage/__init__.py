"""Base wage and regional minimum wages as dated reference data."""
