"""The handreiking: what the one who brings a case answers before the meeting."""
