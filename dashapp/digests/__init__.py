"""Digests: the morning summary sent to a person (SPEC §10) — what it says (`content`), how it
reads as an email or a Slack-compatible message (`render`) and how it is delivered
(`delivery`)."""
