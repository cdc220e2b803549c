"""The changes feed offline mobile clients sync from."""
