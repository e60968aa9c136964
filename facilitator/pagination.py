"""Bounded lists: every list page reads one page of rows, never the whole table."""

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from facilitator.extensions import db
from facilitator.forms import database_int


def paginate(query: Select) -> Pagination:
    """Return the page of ``query`` named by ``?pagina=``, at the configured page size."""
    return db.paginate(
        query,
        page=request.args.get("pagina", 1, type=database_int),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        max_per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
