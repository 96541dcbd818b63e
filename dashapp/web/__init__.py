"""Flask-level pieces around the Dash app: sign-in, sessions and access checks."""
