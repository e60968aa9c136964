"""User accounts: the model, the beheerder's screens, one's own account and the CLI."""
