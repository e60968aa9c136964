"""Meeting series: a year of meetings planned at once, with a rotating host and notulist."""
