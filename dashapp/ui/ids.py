"""Component ids, in one place. Pattern-matching ids are dicts built by the helpers below."""

URL = "url"
VIEW = "view-store"
REFRESH_TOKEN = "refresh-token"
ERROR_ALERT = "error-alert"

# Header controls
PRESET = "filter-preset"
DATES = "filter-dates"
CATEGORY = "filter-category"
PRODUCT = "filter-product"
COUNTRY = "filter-country"
CUSTOMER = "filter-customer"
STATUS = "filter-status"
GRANULARITY = "filter-granularity"
RESET = "filter-reset"
REFRESH = "refresh-button"
AUTO_REFRESH = "auto-refresh"
INTERVAL = "auto-refresh-interval"
LAST_UPDATED = "last-updated"
COPY_LINK = "copy-link"
SHARE_URL = "share-url"
CHIPS = "filter-chips"
FILTERS_TOGGLE = "filters-toggle"
FILTERS_OFFCANVAS = "filters-offcanvas"
SIDEBAR_TOGGLE = "sidebar-toggle"
NAV = "nav"
PAGE = "page-content"

# Overview
KPI_ROW = "kpi-row"
TREND = "revenue-trend"
TREND_CAPTION = "revenue-trend-caption"
CATEGORY_DONUT = "category-donut"
CATEGORY_TREND = "category-trend"
CATEGORY_CAPTION = "category-caption"
TOP_N = "top-n"
TOP_BY = "top-by"
TOP_PRODUCTS = "top-products"
TOP_CUSTOMERS = "top-customers"
TOP_CAPTION = "top-caption"
COUNTRY_MAP = "country-map"
COUNTRY_BAR = "country-bar"
COUNTRY_CAPTION = "country-caption"
CALENDAR = "calendar-heatmap"
CALENDAR_CAPTION = "calendar-caption"

# Charts whose clicks cross-filter the page, and the filter dimension each sets.
CLICK_DIMENSIONS = {
    CATEGORY_DONUT: "category",
    CATEGORY_TREND: "category",
    TOP_PRODUCTS: "product",
    TOP_CUSTOMERS: "customer",
    COUNTRY_MAP: "country",
    COUNTRY_BAR: "country",
}


def chip(dimension: str, value: str) -> dict:
    """The removable chip showing one selected filter value."""
    return {"type": "filter-chip", "dim": dimension, "value": str(value)}


def nav_link(section: str) -> dict:
    return {"type": "nav-link", "section": section}


def xfilter(name: str) -> dict:
    """A chart whose clicks cross-filter the page on its dimension."""
    return {"type": "xfilter", "name": name, "dim": CLICK_DIMENSIONS[name]}


# Orders: the entry form, its lines grid and the history grid
ORDER_FORM_TITLE = "order-form-title"
ORDER_EDITING = "order-editing"  # store: the id of the order being edited, None for a new one
ORDER_CUSTOMER = "order-customer"
ORDER_DATE = "order-date"
ORDER_STATUS = "order-status"
ORDER_CHANNEL = "order-channel"
ORDER_PAYMENT = "order-payment"
ORDER_NOTE = "order-note"
ORDER_ADD_PRODUCT = "order-add-product"
ORDER_LINES = "order-lines"
ORDER_TOTAL = "order-total"
ORDER_SAVE = "order-save"
ORDER_CLEAR = "order-clear"
ORDER_MESSAGE = "order-message"
HISTORY_GRID = "order-history"
HISTORY_CAPTION = "order-history-caption"
HISTORY_EXPORT = "order-history-export"
HISTORY_EDIT = "order-history-edit"
HISTORY_CANCEL = "order-history-cancel"
HISTORY_DELETE = "order-history-delete"
HISTORY_RELOADED = "order-history-reloaded"
CONFIRM_MODAL = "order-confirm"
CONFIRM_TEXT = "order-confirm-text"
CONFIRM_OK = "order-confirm-ok"
CONFIRM_BACK = "order-confirm-back"
CONFIRM_ACTION = "order-confirm-action"  # store: {"action": "cancel"|"delete", "id": ..}

# Catalog: products and customers
PRODUCTS_SEARCH = "products-search"
PRODUCTS_GRID = "products-grid"
PRODUCTS_CAPTION = "products-caption"
PRODUCTS_MESSAGE = "products-message"
PRODUCTS_EXPORT = "products-export"
PRODUCTS_DEACTIVATE = "products-deactivate"
PRODUCTS_ADD = "products-add"
PRODUCTS_RELOADED = "products-reloaded"
CUSTOMERS_SEARCH = "customers-search"
CUSTOMERS_GRID = "customers-grid"
CUSTOMERS_CAPTION = "customers-caption"
CUSTOMERS_MESSAGE = "customers-message"
CUSTOMERS_EXPORT = "customers-export"
CUSTOMERS_DEACTIVATE = "customers-deactivate"
CUSTOMERS_ADD = "customers-add"
CUSTOMERS_RELOADED = "customers-reloaded"


def order_field_error(field: str) -> dict:
    """The message slot under one field of the order form."""
    return {"type": "order-field-error", "field": field}


def add_field(entity: str, field: str) -> dict:
    """One input of the "add product" / "add customer" forms."""
    return {"type": "add-field", "entity": entity, "field": field}


def add_field_error(entity: str, field: str) -> dict:
    return {"type": "add-field-error", "entity": entity, "field": field}
