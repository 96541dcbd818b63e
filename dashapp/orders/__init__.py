"""Order entry: drafts as typed, validation against catalog and stock, and the write path
(create, edit, status change, delete) that keeps stock, derived columns and the audit log
in the same transaction."""

from dashapp.orders.drafts import (
    DEFAULT_STATUS,
    LineDraft,
    OrderDraft,
    SavedOrder,
    ValidOrder,
    line_amount_cents,
)
from dashapp.orders.read import draft_from_order
from dashapp.orders.scope import NotYourOrder, OrderAccessError, order_id
from dashapp.orders.validate import resolve_order, validate_order
from dashapp.orders.write import (
    OrderNotFound,
    create_order,
    delete_order,
    order_snapshot,
    read_order,
    set_status,
    update_order,
)
from dashapp.store.version import data_version
from dashapp.validation import FieldError, ValidationError

__all__ = [
    "DEFAULT_STATUS",
    "FieldError",
    "LineDraft",
    "OrderDraft",
    "NotYourOrder",
    "OrderAccessError",
    "OrderNotFound",
    "SavedOrder",
    "ValidOrder",
    "ValidationError",
    "create_order",
    "data_version",
    "delete_order",
    "draft_from_order",
    "line_amount_cents",
    "order_id",
    "order_snapshot",
    "read_order",
    "resolve_order",
    "set_status",
    "update_order",
    "validate_order",
]
