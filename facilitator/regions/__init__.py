"""Regions (arbeidsmarktregio's) and the organisations that take part in them."""
