"""The web UI and HTTP API over a `Storyline` store: `create_app(storyline)`, `serve(...)`."""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
