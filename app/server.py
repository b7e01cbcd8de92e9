"""WSGI entry point: ``gunicorn app.server:server``."""

from app import app, server

__all__ = ["app", "server"]
