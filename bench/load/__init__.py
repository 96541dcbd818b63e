"""Load test of the served app; see __main__.py."""
