"""Deliver a digest: by email through the configured SMTP server (smtplib), or as a
Slack-compatible JSON POST to a webhook. Recipients are told apart by their form: an
http(s):// URL is a webhook, an address with an @ an email."""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass

from dashapp.digests.content import Digest
from dashapp.digests.render import as_email, as_slack
from dashapp.settings import Settings

TIMEOUT_S = 10.0


class DeliveryError(ValueError):
    """A recipient or a setting that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Delivered:
    """Where one digest went and how that went (error None: accepted)."""

    recipient: str
    channel: str  # "email" or "webhook"
    error: str | None = None


def recipient_kind(recipient: str) -> str:
    """'email' or 'webhook', or a DeliveryError naming the recipient."""
    text = recipient.strip()
    if text.lower().startswith(("http://", "https://")):
        return "webhook"
    local, at, domain = text.rpartition("@")
    if at and local and domain and " " not in text and "," not in text:
        return "email"
    raise DeliveryError(f"{recipient!r} is neither an email address nor an http(s):// webhook URL")


def check_recipients(recipients: list[str], settings: Settings) -> None:
    """Refuse the whole list before anything is sent: a bad recipient, or email without an
    SMTP server configured."""
    if not recipients:
        raise DeliveryError("give at least one recipient")
    kinds = [recipient_kind(r) for r in recipients]
    if "email" in kinds and not settings.smtp_host:
        raise DeliveryError(
            "email needs an SMTP server: set SALES_PULSE_SMTP_HOST (and _PORT, _USER, "
            "_PASSWORD, _FROM, _STARTTLS as your server needs)"
        )


def deliver(digest: Digest, recipients: list[str], settings: Settings) -> list[Delivered]:
    """Send the digest to every recipient: one email to all addresses, one POST per webhook.
    A failure is reported per recipient, never raised (the others still get theirs)."""
    check_recipients(recipients, settings)
    emails = [r.strip() for r in recipients if recipient_kind(r) == "email"]
    hooks = [r.strip() for r in recipients if recipient_kind(r) == "webhook"]
    out: list[Delivered] = []
    if emails:
        error = send_email(digest, emails, settings)
        out += [Delivered(r, "email", error) for r in emails]
    for url in hooks:
        out.append(Delivered(url, "webhook", post_slack(digest, url)))
    return out


def send_email(digest: Digest, to: list[str], settings: Settings) -> str | None:
    """Send one message to all `to`; None when the server accepted it, else the reason."""
    message = as_email(digest, settings.smtp_from, to)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            refused = smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"
    if refused:
        return "refused: " + ", ".join(sorted(refused))
    return None


def post_slack(digest: Digest, url: str) -> str | None:
    """POST the Slack-compatible payload; None on a 2xx answer, else the reason."""
    body = json.dumps(as_slack(digest)).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S):  # noqa: S310 (http(s) only)
            return None
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return str(getattr(exc, "reason", exc))
