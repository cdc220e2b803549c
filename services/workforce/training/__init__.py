"""Training courses and who took part, counted in people and in turns (lượt)."""
