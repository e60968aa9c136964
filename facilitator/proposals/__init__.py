"""The call for cases before a meeting, the proposals members make, and the reminder."""
