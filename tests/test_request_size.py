"""A request over the size limit is refused whole (SECURITY.md R5): 413 with the product's own
generic page in Dutch, or, for the house-style upload, its own page saying how large a file may
be; nothing is stored either way, and a request just under the limit is read as usual."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from facilitator.exports.models import HouseStyle
from facilitator.extensions import db
from facilitator.regions.models import Region
from tests.helpers import csrf_token

BEHEERDER = "beheerder@noord.example"
LIMIT = 2 * 1024 * 1024


def regions() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Region.id)))


def house_styles() -> int:
    return db.session.scalar(select(func.count()).select_from(HouseStyle))


def multipart(fields: dict) -> dict:
    """The body a browser sends, built in memory (the test client would spool a large one)."""
    boundary, body = encode_multipart(fields)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def is_the_generic_too_large_page(response) -> bool:
    html = response.get_data(as_text=True)
    return (
        response.status_code == 413
        and response.mimetype == "text/html"
        and "<h1>Te groot</h1>" in html
        and "Wat u hebt verstuurd, is te groot." in html
        and "Foutcode 413" in html
        and "Traceback" not in html
    )


def test_the_limit_is_two_mebibytes(app):
    assert app.config["MAX_CONTENT_LENGTH"] == LIMIT


def test_a_form_post_over_the_limit_gets_the_generic_413_page_and_stores_nothing(
    client, auth, world
):
    auth.login(BEHEERDER)
    token = csrf_token(client, "/beheer/regios/nieuw")
    before = regions()
    response = client.post(
        "/beheer/regios/nieuw",
        data={"csrf_token": token, "name": "Regio Groot", "description": "x" * LIMIT},
    )
    assert is_the_generic_too_large_page(response), response.get_data(as_text=True)[:500]
    assert regions() == before
    # Still logged in, and the same form under the limit is read and answered as usual.
    response = client.post(
        "/beheer/regios/nieuw",
        data={"csrf_token": token, "name": "Regio Groot", "description": "x" * (LIMIT - 4096)},
    )
    assert response.status_code == 200  # refused by the form (too long), not by the size
    assert "Te groot" not in response.get_data(as_text=True)
    assert regions() == before


def test_a_multipart_post_over_the_limit_to_a_form_gets_the_generic_413_page(client, auth, world):
    auth.login(BEHEERDER)
    token = csrf_token(client, "/beheer/regios/nieuw")
    before = regions()
    big = FileStorage(io.BytesIO(b"\0" * (LIMIT + 1)), filename="bijlage.bin")
    response = client.post(
        "/beheer/regios/nieuw",
        **multipart({"csrf_token": token, "name": "Regio Bijlage", "file": big}),
    )
    assert is_the_generic_too_large_page(response)
    assert regions() == before


def test_an_anonymous_post_over_the_limit_gets_the_generic_413_page(client):
    response = client.post("/login", data={"email": "a@b.example", "password": "p" * LIMIT})
    assert is_the_generic_too_large_page(response)


def test_the_house_style_upload_over_the_limit_is_refused_on_its_own_page_storing_nothing(
    client, auth, world
):
    """The upload page answers with its own message (how large a house style may be) rather
    than the generic page: the beheerder stays where they can choose a smaller file."""
    auth.login(BEHEERDER)
    page = f"/beheer/regios/{world.region.id}/huisstijl"
    token = csrf_token(client, page)
    big = FileStorage(io.BytesIO(b"PK" + b"\0" * LIMIT), filename="huisstijl.docx")
    response = client.post(page, **multipart({"csrf_token": token, "file": big}))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(page)
    shown = re.sub(r"\s+", " ", client.get(page).get_data(as_text=True))
    assert "Het bestand is te groot: een huisstijl mag ten hoogste 2 MB zijn." in shown
    assert house_styles() == 0


def test_an_over_the_limit_post_without_a_length_is_refused_too(client, auth, world):
    """A chunked body (no Content-Length) is cut off at the limit as it streams in."""
    auth.login(BEHEERDER)
    token = csrf_token(client, "/beheer/regios/nieuw")
    before = regions()
    body = f"csrf_token={token}&name=Regio+Stroom&description=".encode() + b"x" * (LIMIT + 1)
    response = client.post(
        "/beheer/regios/nieuw",
        input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        # What a server such as gunicorn tells the app of a chunked body it de-chunked.
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert is_the_generic_too_large_page(response)
    assert regions() == before


def test_a_post_without_a_length_under_the_limit_is_read_as_usual(client, auth, world):
    auth.login(BEHEERDER)
    token = csrf_token(client, "/beheer/regios/nieuw")
    before = regions()
    body = f"csrf_token={token}&name=Regio+Stroom&description=kort".encode()
    response = client.post(
        "/beheer/regios/nieuw",
        input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 302
    assert regions() == before + 1
