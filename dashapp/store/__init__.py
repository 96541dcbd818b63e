"""The store: engine, models and migrations. Everything above it talks SQL through here."""

from dashapp.store.db import get_engine, make_engine, write_transaction
from dashapp.store.models import (
    ORDER_STATUSES,
    Alert,
    ApiToken,
    AuditLog,
    Base,
    Customer,
    Order,
    OrderLine,
    Product,
    User,
)

__all__ = [
    "ORDER_STATUSES",
    "Alert",
    "ApiToken",
    "AuditLog",
    "Base",
    "Customer",
    "Order",
    "OrderLine",
    "Product",
    "User",
    "get_engine",
    "make_engine",
    "write_transaction",
]
