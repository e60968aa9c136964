"""The dashboard of a region: what the projectleider and the beleidsgroep read about its
results (issue 14), never a case, a pseudonym or a meeting's content."""
