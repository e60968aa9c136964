"""WSGI entry point: ``gunicorn wsgi:app``."""

from facilitator import create_app

app = create_app()
