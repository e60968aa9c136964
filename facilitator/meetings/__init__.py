"""Meetings: planning, agenda, attendance and the guided run through a protocol."""
