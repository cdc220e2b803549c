"""Plans and their targets."""
