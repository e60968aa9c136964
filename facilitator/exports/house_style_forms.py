"""The form with which a beheerder uploads a region's house style."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired

from facilitator.forms import BaseForm


class HouseStyleForm(BaseForm):
    file = FileField(
        _l("Reference document (.docx)"),
        validators=[
            FileRequired(_l("Choose a Word document (.docx).")),
            FileAllowed(["docx"], _l("Only a Word document (.docx) can be a house style.")),
        ],
        render_kw={
            "accept": ".docx,application/vnd.openxmlformats-officedocument"
            ".wordprocessingml.document"
        },
    )
