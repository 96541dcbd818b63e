"""Targets (issue 20, item 1; SPEC §10): monthly or quarterly goals for revenue, orders or
profit, for the business, a category, a region or a sales user, and the progress against
them with a projection to the period's end. No Dash or Flask here."""

from dashapp.targets.csv_import import decode, on_file_lines, read_targets_csv
from dashapp.targets.periods import parse_period, period_end, period_key, period_title
from dashapp.targets.progress import Progress, Projection, linear_run_rate, progress
from dashapp.targets.records import (
    METRICS,
    SCOPES,
    StoredTarget,
    TargetAccessError,
    TargetDraft,
    can_edit,
    delete_target,
    get_target,
    known_scopes,
    list_targets,
    set_target,
    set_targets,
    update_target,
)
from dashapp.targets.view import (
    ViewProgress,
    listed_progress,
    scope_of_view,
    target_per_period,
    view_progress,
)

__all__ = [
    "METRICS",
    "SCOPES",
    "Progress",
    "Projection",
    "StoredTarget",
    "TargetAccessError",
    "TargetDraft",
    "ViewProgress",
    "can_edit",
    "decode",
    "delete_target",
    "get_target",
    "known_scopes",
    "linear_run_rate",
    "list_targets",
    "listed_progress",
    "on_file_lines",
    "parse_period",
    "period_end",
    "period_key",
    "period_title",
    "progress",
    "read_targets_csv",
    "scope_of_view",
    "set_target",
    "set_targets",
    "target_per_period",
    "update_target",
    "view_progress",
]
