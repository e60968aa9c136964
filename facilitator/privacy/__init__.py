"""Privacy: pseudonyms, encrypted identity, consent and the personal-data guard."""
