"""Signals followed up: what the beleidsgroep did with a casusgroep's signals, and back."""
