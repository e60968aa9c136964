"""Monitoring: the region's in-, door- and uitstroom as figures with small counts suppressed
(issue 14), for the figures page, its charts and CSV, the CLI, the dashboard and the logbook."""
