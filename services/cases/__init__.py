"""The cases service: people in difficulty, their cases and the case lifecycle."""
