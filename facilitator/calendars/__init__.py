"""Meetings in calendar apps: one meeting's .ics file and a personal, secret subscription."""
