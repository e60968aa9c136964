"""The ``facilitator`` command: Flask's CLI with the app and its commands loaded."""

from flask.cli import FlaskGroup

from facilitator import create_app

cli = FlaskGroup(create_app=create_app, help="Casustafel administration commands.")
