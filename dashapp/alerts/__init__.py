"""KPI alert rules (issue 20, item 2; SPEC §10): a manager's "revenue of Planes in France per
week below 1,000.00", "cancellation rate above 5 %", "behind target by more than 10 %",
judged over complete periods beside the anomaly detector, with the alerts they fire. No Dash
or Flask here."""

from dashapp.alerts.evaluate import (
    RulesCheck,
    Verdict,
    check_rules,
    judge,
    list_kpi_alerts,
    set_kpi_alert_status,
)
from dashapp.alerts.metrics import METRICS
from dashapp.alerts.periods import COMPLETE_RULE, PERIODS, Window, due_windows, latest_window
from dashapp.alerts.rules import (
    COMPARISONS,
    RuleAccessError,
    RuleDraft,
    StoredRule,
    add_rule,
    can_edit,
    get_rule,
    list_rules,
    remove_rule,
    set_rule_enabled,
)

__all__ = [
    "COMPARISONS",
    "COMPLETE_RULE",
    "METRICS",
    "PERIODS",
    "RuleAccessError",
    "RuleDraft",
    "RulesCheck",
    "StoredRule",
    "Verdict",
    "Window",
    "add_rule",
    "can_edit",
    "check_rules",
    "due_windows",
    "get_rule",
    "judge",
    "latest_window",
    "list_kpi_alerts",
    "list_rules",
    "remove_rule",
    "set_kpi_alert_status",
    "set_rule_enabled",
]
