"""Cases: brought by a professional, always shown under a pseudonym."""
