"""Backups of the data database and the key store, and restoring them (SECURITY.md R4)."""
