"""The Dash single-page app: shell, sections, figures and callbacks."""

from dashapp.ui.app import create_app

__all__ = ["create_app"]
