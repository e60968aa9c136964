"""Authentication and authorisation: login, lockout, sessions and per-route access rules."""
