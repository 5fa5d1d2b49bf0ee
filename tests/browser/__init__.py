"""Reader-grade checks of the built site: a real browser and the real checkers."""
