"""Actions: the vervolgacties of a group, their owners, due dates and history of updates."""
