"""What leaves the building: the minutes of a meeting and the logbook for the beleidsgroep
(Word), and the CSV files beside them.

Exports are pure functions of read data (``build_x_docx(data) -> BytesIO``); the views and the
CLI read the data through one read model, pass all its text through :mod:`.screening` and only
then build the file. Nothing here reads a client's identity except the screening, to look for it.
"""
