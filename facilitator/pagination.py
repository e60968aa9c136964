"""Bounded lists: every list page reads one page of rows, never the whole table."""

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select

from facilitator.extensions import db

#: Beyond any list's length, and small enough for the database's integer (a typed
#: ``?pagina=99999999999999999999`` shows an empty page, not a server error).
MAX_PAGE = 1_000_000


def paginate(query: Select) -> Pagination:
    """Return the page of ``query`` named by ``?pagina=``, at the configured page size."""
    return db.paginate(query, **_page_args())


class RowPagination(SelectPagination):
    """A page of a select of several columns (an object with what was joined to it): each item
    is a row, where ``db.paginate`` keeps the first column only."""

    def _query_items(self) -> list:
        select = self._query_args["select"]
        select = select.limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def paginate_rows(query: Select) -> Pagination:
    """Like :func:`paginate`, for a select whose rows hold more than one column."""
    return RowPagination(select=query, session=db.session(), **_page_args())


def _page_args() -> dict:
    return {
        "page": min(request.args.get("pagina", 1, type=int), MAX_PAGE),
        "per_page": current_app.config["ITEMS_PER_PAGE"],
        "max_per_page": current_app.config["ITEMS_PER_PAGE"],
        "error_out": False,
    }
