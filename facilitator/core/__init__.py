"""What every page shares: home, health check, language, errors, headers and filters."""
