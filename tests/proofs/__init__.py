"""Slow proofs (fuzzing, crashes): CI runs them on SQLite only."""
