"""A digest as a plain-text and an HTML email, and as a Slack-compatible webhook message.

Every name that comes from the data (a product, a country) is escaped in the HTML: user text
is never markup."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from email.message import EmailMessage
from html import escape

from dashapp.analytics.kpis import Kpis, delta
from dashapp.digests.content import Digest
from dashapp.targets.periods import period_title as target_period
from dashapp.targets.progress import Progress
from dashapp.targets.records import amount_text

TITLE = "Sales Pulse"


@dataclass(frozen=True)
class KpiLine:
    label: str
    current: str
    previous: str
    change: str


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _cents(cents: int) -> str:
    return _money(Decimal(cents) / 100)


def _change(current: Decimal | int, previous: Decimal | int) -> str:
    """'+12.5 %', '−3.0 %', or 'no sales before' when the previous period had none."""
    rate = delta(float(current), float(previous))
    if rate is None:
        return "no sales before" if current else "none either"
    pct = round(rate * 100, 1)
    if pct == 0:
        return "0.0 %"
    return f"{'+' if pct > 0 else '−'}{abs(pct):.1f} %"


def kpi_lines(current: Kpis, previous: Kpis) -> list[KpiLine]:
    """Revenue, orders, AOV, customers and units against the previous period."""
    rows = [
        ("Revenue", current.revenue, previous.revenue, _money),
        ("Orders", current.orders, previous.orders, lambda n: f"{n:,}"),
        ("Average order", current.aov, previous.aov, _money),
        ("Customers", current.customers, previous.customers, lambda n: f"{n:,}"),
        ("Units", current.units, previous.units, lambda n: f"{n:,}"),
    ]
    return [KpiLine(label, fmt(c), fmt(p), _change(c, p)) for label, c, p, fmt in rows]


def _span(start, end) -> str:
    """'Tue 5 Mar 2024' for one day, '4 Mar – 10 Mar 2024' for a range."""
    if start == end:
        return f"{start:%a} {start.day} {start:%b %Y}"
    return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"


def period_title(d: Digest) -> str:
    """'Daily digest for Tue 5 Mar 2024' or 'Weekly digest for 4 Mar – 10 Mar 2024'."""
    title = f"{d.period.title()} digest for {_span(d.start, d.end)}"
    return f"{title} · view “{d.view}”" if d.view else title


def _previous_text(d: Digest) -> str:
    return _span(d.previous_start, d.previous_end)


def _alert_text(a: dict) -> str:
    return (
        f"{a['key']} ({a['scope']}) on {a['day'].isoformat()}: {_cents(a['actual_cents'])} "
        f"against {_cents(a['baseline_cents'])} expected (−{a['drop_pct']:.1f} %)"
    )


def new_alert_texts(d: Digest) -> list[str]:
    """The revenue drops the anomaly check raised, then what the KPI alert rules fired."""
    return [_alert_text(a) for a in d.alerts] + [a["text"] for a in d.kpi_alerts]


def _reorder_text(r: dict) -> str:
    cover = "no cover" if r["days_of_cover"] is None else f"{r['days_of_cover']:.1f} days of cover"
    return (
        f"{r['status']}: {r['sku']} {r['name']}, {r['stock']:,} in stock, {cover}, "
        f"order {r['suggested_order_qty']:,}"
    )


def _target_text(p: Progress) -> str:
    """'Revenue, December 2026: $747,425.70 of $2,500,000.00 (30 %), on track, projected
    $4,177,272.87 by 31 Dec'."""
    t = p.target
    head = f"{t.metric.title()}, {target_period(t.period, t.start)}"
    if p.actual is None:
        return f"{head}: n/a (no cost is known), target {amount_text(t.metric, t.amount)}"
    text = (
        f"{head}: {amount_text(t.metric, p.actual)} of {amount_text(t.metric, t.amount)} "
        f"({p.share * 100:.0f} %), {p.status}"
    )
    if p.projection is not None:
        text += f", projected {amount_text(t.metric, p.projection.value)} by {t.end.day} {t.end:%b}"
    return text


def as_text(d: Digest) -> str:
    """The plain-text body."""
    lines = [f"{TITLE} · {period_title(d)}", f"Compared with {_previous_text(d)}.", ""]
    for k in kpi_lines(d.current, d.previous):
        lines.append(f"{k.label}: {k.current} (was {k.previous}, {k.change})")
    if d.targets:
        lines += ["", "Targets:"] + [f"- {_target_text(p)}" for p in d.targets]
    new = new_alert_texts(d)
    lines += ["", f"New alerts ({len(new)}):"]
    lines += [f"- {text}" for text in new] or ["- none"]
    lines += ["", f"To reorder ({len(d.reorder)}):"]
    lines += [f"- {_reorder_text(r)}" for r in d.reorder] or ["- nothing urgent"]
    return "\n".join(lines) + "\n"


def as_html(d: Digest) -> str:
    """The HTML body: the same content, every value escaped."""
    rows = "".join(
        f"<tr><td>{escape(k.label)}</td><td align='right'>{escape(k.current)}</td>"
        f"<td align='right'>{escape(k.previous)}</td><td align='right'>{escape(k.change)}</td></tr>"
        for k in kpi_lines(d.current, d.previous)
    )
    new = new_alert_texts(d)
    alerts = "".join(f"<li>{escape(text)}</li>" for text in new) or "<li>none</li>"
    reorder = (
        "".join(f"<li>{escape(_reorder_text(r))}</li>" for r in d.reorder)
        or "<li>nothing urgent</li>"
    )
    targets = "".join(f"<li>{escape(_target_text(p))}</li>" for p in d.targets)
    return (
        f"<html><body><h2>{escape(TITLE)} · {escape(period_title(d))}</h2>"
        f"<p>Compared with {escape(_previous_text(d))}.</p>"
        "<table><tr><th align='left'>KPI</th><th>This period</th><th>Before</th>"
        f"<th>Change</th></tr>{rows}</table>"
        + (f"<h3>Targets</h3><ul>{targets}</ul>" if targets else "")
        + f"<h3>New alerts ({len(new)})</h3><ul>{alerts}</ul>"
        f"<h3>To reorder ({len(d.reorder)})</h3><ul>{reorder}</ul></body></html>"
    )


def as_email(d: Digest, sender: str, to: list[str]) -> EmailMessage:
    """A multipart/alternative message: text first, HTML second."""
    message = EmailMessage()
    message["Subject"] = f"{TITLE}: {period_title(d)}"
    message["From"] = sender
    message["To"] = ", ".join(to)
    message.set_content(as_text(d))
    message.add_alternative(as_html(d), subtype="html")
    return message


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn reads &, < and > as markup: these three are escaped, nothing else.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def as_slack(d: Digest) -> dict:
    """A Slack-compatible incoming-webhook payload: `text` for notifications, `blocks` for the
    message (mrkdwn sections)."""
    kpis = "\n".join(
        f"*{k.label}*: {k.current} (was {k.previous}, {k.change})"
        for k in kpi_lines(d.current, d.previous)
    )
    new = new_alert_texts(d)
    alerts = "\n".join(f"• {text}" for text in new) or "• none"
    reorder = "\n".join(f"• {_reorder_text(r)}" for r in d.reorder) or "• nothing urgent"
    targets = "\n".join(f"• {_target_text(p)}" for p in d.targets)
    title = f"{TITLE}: {period_title(d)}"
    return {
        "text": _slack_escape(title),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title}},
            _section(_slack_escape(f"Compared with {_previous_text(d)}.\n{kpis}")),
            *([_section(_slack_escape(f"*Targets*\n{targets}"))] if targets else []),
            _section(_slack_escape(f"*New alerts ({len(new)})*\n{alerts}")),
            _section(_slack_escape(f"*To reorder ({len(d.reorder)})*\n{reorder}")),
        ],
    }


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
