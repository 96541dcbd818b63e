"""Component ids, in one place. Pattern-matching ids are dicts built by the helpers below."""

URL = "url"
VIEW = "view-store"
REFRESH_TOKEN = "refresh-token"
# The last cross-filter click on a chart (shell.py relays it to the view sync).
XFILTER_CLICK = "xfilter-click"
ERROR_ALERT = "error-alert"

# Header controls
PRESET = "filter-preset"
DATES = "filter-dates"
CATEGORY = "filter-category"
PRODUCT = "filter-product"
COUNTRY = "filter-country"
CUSTOMER = "filter-customer"
STATUS = "filter-status"
REGION = "filter-region"
STATE = "filter-state"
CITY = "filter-city"
SEGMENT = "filter-segment"
SUBCATEGORY = "filter-subcategory"
SHIP_MODE = "filter-ship-mode"
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

# Customers insight
INSIGHT_KPIS = "insight-kpis"
RF_HEATMAP = "insight-rf-heatmap"
RF_CAPTION = "insight-rf-caption"
SEGMENT_SHARE = "insight-segment-share"
SEGMENT_SHARE_CAPTION = "insight-segment-share-caption"
SEGMENT_TABLE = "insight-segment-table"
SEGMENT_TABLE_CAPTION = "insight-segment-table-caption"
SELECTION = "insight-selection"
MEMBERS = "insight-members"
MEMBERS_TITLE = "insight-members-title"
MEMBERS_NOTE = "insight-members-note"
MEMBERS_CLEAR = "insight-members-clear"
MEMBERS_EXPORT = "insight-members-export"
MEMBERS_DOWNLOAD = "insight-members-download"
NEW_RETURNING = "insight-new-returning"
NEW_RETURNING_CAPTION = "insight-new-returning-caption"
COHORTS = "insight-cohorts"
COHORTS_CAPTION = "insight-cohorts-caption"
# Forecast & inventory
FC_MEASURE = "fc-measure"
FC_SCOPE = "fc-scope"
FC_CATEGORY = "fc-category"
FC_CATEGORY_FIELD = "fc-category-field"
FC_PRODUCT = "fc-product"
FC_PRODUCT_FIELD = "fc-product-field"
FC_HORIZON = "fc-horizon"
FC_MODEL = "fc-model"
FC_LEVEL = "fc-level"
FC_RUN = "fc-run"
FC_PROGRESS = "fc-progress"
FC_BODY = "fc-body"
FC_CAPTION = "fc-caption"
FC_BACKTEST = "fc-backtest"
FC_ACCOUNT = "fc-account-token"  # the signed account the forecast job acts as
FC_REFIT = "fc-refit"  # an interval change the answer cache could not answer: fit
REORDER_GRID = "reorder-grid"
REORDER_CAPTION = "reorder-caption"
REORDER_EXPORT = "reorder-export"
REORDER_DOWNLOAD = "reorder-download"

# Anomalies
AN_MIN_DROP = "an-min-drop"
AN_MIN_SCORE = "an-min-score"
AN_WINDOW = "an-window"
AN_RUN = "an-run"
AN_PROGRESS = "an-progress"
AN_RUN_RESULT = "an-run-result"
AN_STATUS_FILTER = "an-status-filter"
AN_SCOPE_FILTER = "an-scope-filter"
AN_GRID = "an-grid"
AN_CAPTION = "an-caption"
AN_CHANGED = "an-changed"
AN_DETAIL = "an-detail"
AN_DETAIL_CAPTION = "an-detail-caption"
AN_CHART = "an-chart"
AN_DRIVERS = "an-drivers"
AN_STATUS = "an-status"
AN_ACK = "an-acknowledge"
AN_RESOLVE = "an-resolve"
AN_REOPEN = "an-reopen"
AN_MESSAGE = "an-message"

# The Overview's drill below the country (ui/geography.py)
PLACE_ROW = "place-drill"
PLACE_TITLE = "place-drill-title"
PLACE_MAP = "place-map"
PLACE_MAP_WRAP = "place-map-wrap"
PLACE_BAR = "place-bar"

# Charts whose clicks cross-filter the page, and the filter dimension each sets.
CLICK_DIMENSIONS = {
    CATEGORY_DONUT: "category",
    CATEGORY_TREND: "category",
    TOP_PRODUCTS: "product",
    TOP_CUSTOMERS: "customer",
    COUNTRY_MAP: "country",
    COUNTRY_BAR: "country",
    # The drill below the country: the click says which of region, state or city it is.
    PLACE_MAP: "place",
    PLACE_BAR: "place",
}


def chip(dimension: str, value: str) -> dict:
    """The removable chip showing one selected filter value."""
    return {"type": "filter-chip", "dim": dimension, "value": str(value)}


def filter_field(name: str) -> str:
    """The labelled wrapper of a header filter (hidden when the data has no such values)."""
    return f"filter-field-{name}"


def nav_link(section: str) -> dict:
    return {"type": "nav-link", "section": section}


def xfilter(name: str) -> dict:
    """A chart whose clicks cross-filter the page on its dimension."""
    return {"type": "xfilter", "name": name, "dim": CLICK_DIMENSIONS[name]}


# Admin
ADMIN_TABS = "admin-tabs"
ADMIN_USER = "admin-user-token"  # the signed username background jobs act as
IMPORT_UPLOAD = "import-upload"
IMPORT_FILE = "import-file-store"
IMPORT_FILE_INFO = "import-file-info"
IMPORT_PREVIEW = "import-preview"
IMPORT_STRICT = "import-strict"
IMPORT_DRY_RUN = "import-dry-run"
IMPORT_RUN = "import-run"
IMPORT_PROGRESS = "import-progress"
IMPORT_REPORT = "import-report"
BACKUP_NOW = "backup-now"
BACKUP_LIST = "backup-list"
BACKUP_MESSAGE = "backup-message"
BACKUP_UPLOAD = "backup-upload"
BACKUP_PENDING = "backup-pending"
RESTORE_MODAL = "restore-modal"
RESTORE_MODAL_BODY = "restore-modal-body"
RESTORE_CONFIRM = "restore-confirm"
RESTORE_CANCEL = "restore-cancel"
USERS_GRID = "users-grid"
USER_NEW_NAME = "user-new-name"
USER_NEW_ROLE = "user-new-role"
USER_CREATE = "user-create"
USER_MESSAGE = "user-message"
USER_EDIT = "user-edit"
USER_ROLE = "user-role-select"
USER_ACTIVE = "user-active"
USER_SAVE = "user-save"
USER_RESET_PASSWORD = "user-reset-password"
TOKEN_NAME = "token-name"
TOKEN_CREATE = "token-create"
TOKEN_GRID = "token-grid"
TOKEN_REVOKE = "token-revoke"
AUDIT_USER = "audit-user"
AUDIT_ENTITY = "audit-entity"
AUDIT_ACTION = "audit-action"
AUDIT_DATES = "audit-dates"
AUDIT_GRID = "audit-grid"
AUDIT_PAGER = "audit-pager"
AUDIT_CAPTION = "audit-caption"

# My account (the modal opened from the top bar)
ACCOUNT_OPEN = "account-open"
ACCOUNT_MODAL = "account-modal"
ACCOUNT_OLD = "account-old-password"
ACCOUNT_NEW = "account-new-password"
ACCOUNT_REPEAT = "account-repeat-password"
ACCOUNT_SAVE = "account-save"
ACCOUNT_MESSAGE = "account-message"


def backup_restore(name: str) -> dict:
    """The Restore button of one listed backup file."""
    return {"type": "backup-restore", "name": name}


def segment_button(segment: str) -> dict:
    """The segment name in the insight table; clicking it lists the segment's customers."""
    return {"type": "insight-segment", "segment": segment}


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


# Issue 18, the shell: where the filters apply, the top bar's menu on a phone, the shared link,
# the world map's region.
FILTER_SCOPE = "filter-scope"
FILTER_NOTE = "filter-note"
FILTERS_MORE = "filters-more"
FILTERS_MORE_ROW = "filters-more-row"
TOPBAR_MENU = "topbar-menu"
TOPBAR_MORE = "topbar-more"
COPY_POPOVER = "copy-popover"
COPY_STATUS = "copy-status"
COPY_URL = "copy-url"
COPY_EXACT = "copy-exact"
COPY_EXACT_WRAP = "copy-exact-wrap"
COPY_EXACT_NOTE = "copy-exact-note"
MAP_REGION = "country-map-region"

# Issue 19, the pivot section.
PIVOT_ROWS = "pivot-rows"
PIVOT_COLUMNS = "pivot-columns"
PIVOT_MEASURE = "pivot-measure"
PIVOT_EXPORT = "pivot-export"
PIVOT_DOWNLOAD = "pivot-download"
PIVOT_GRID = "pivot-grid"
PIVOT_CAPTION = "pivot-caption"

# Issue 18, grids, pickers and feedback: the audit entry's details, the restore dialog's
# checking state, and the products grid's category choices.
AUDIT_DETAILS = "audit-details"
RESTORE_CHECKING = "restore-checking"
CATEGORY_MODAL = "category-modal"
CATEGORY_MODAL_TEXT = "category-modal-text"
CATEGORY_NEW_NAME = "category-new-name"
CATEGORY_NEW_HINT = "category-new-hint"
CATEGORY_CONFIRM = "category-confirm"
CATEGORY_BACK = "category-back"
CATEGORY_PENDING = "category-pending"
CATEGORY_CHOICES = "category-choices"

# --- Issue 20 item 3 (anomaly fixes): the check's scan window ---
AN_SCAN = "an-scan"
AN_NOTE = "an-note"

# --- Issue 20 item 5 (reports): the header's Download menu, the tables' XLSX links ---
DOWNLOAD_MENU = "download-menu"
DOWNLOAD_XLSX = "download-xlsx"
DOWNLOAD_PDF = "download-pdf"
DOWNLOAD_PNG = "download-png"
HISTORY_XLSX = "order-history-xlsx"
PRODUCTS_XLSX = "products-xlsx"
CUSTOMERS_XLSX = "customers-xlsx"
PIVOT_XLSX = "pivot-xlsx"
PIVOT_XLSX_DOWNLOAD = "pivot-xlsx-download"
MEMBERS_XLSX = "insight-members-xlsx"
MEMBERS_XLSX_DOWNLOAD = "insight-members-xlsx-download"
REORDER_XLSX = "reorder-xlsx"
REORDER_XLSX_DOWNLOAD = "reorder-xlsx-download"

# --- Issue 20 item 4 (digests): "Send now" on the Anomalies page (admin) ---
DG_TO = "dg-to"
DG_PERIOD = "dg-period"
DG_SEND = "dg-send"
DG_RESULT = "dg-result"

# --- Issue 20 item 1 (targets): the Targets section and the Overview's progress card ---
TG_GRID = "tg-grid"
TG_MESSAGE = "tg-message"
TG_CAPTION = "tg-caption"
TG_RELOAD = "tg-reload"
TG_REMOVE = "tg-remove"
TG_UPLOAD = "tg-upload"
TG_ADD = "tg-add"
TG_PERIOD = "tg-period"
TG_METRIC = "tg-metric"
TG_SCOPE = "tg-scope"
TG_KEY = "tg-key"
TG_AMOUNT = "tg-amount"
TARGET_CARD = "target-card"

# --- Issue 19 items 4 and 5: drill-through to the orders, and the loss finder ---
DRILL_PANEL = "drill-panel"  # "Show orders" of the clicked bar, slice, region or cell
DRILL_BODY = "drill-body"
DRILL_LINK = "drill-link"
DRILL_TARGET = "drill-target"  # the orders page's address of the slice (the link adds "back")
DRILL_CLOSE = "drill-close"
DRILL_BACK = "drill-back"  # on the orders page: back to the view the drill started from
DRILL_BACK_BAR = "drill-back-bar"
LF_LEVEL = "lf-level"
LF_THRESHOLD = "lf-threshold"
LF_GRID = "lf-grid"
LF_CAPTION = "lf-caption"
LF_MESSAGE = "lf-message"
LF_SHOW_ORDERS = "lf-show-orders"
LF_SCATTER = "lf-scatter"
LF_SCATTER_CAPTION = "lf-scatter-caption"

# KPI alert rules, on the Anomalies section (dashapp.ui.kpi_alerts).
KA_NAME = "ka-name"
KA_METRIC = "ka-metric"
KA_FILTER = "ka-filter"
KA_PERIOD = "ka-period"
KA_COMPARISON = "ka-comparison"
KA_THRESHOLD = "ka-threshold"
KA_UNIT = "ka-unit"
KA_ADD = "ka-add"
KA_MESSAGE = "ka-message"
KA_RULES = "ka-rules"
KA_RULES_CAPTION = "ka-rules-caption"
KA_TOGGLE = "ka-toggle"
KA_REMOVE = "ka-remove"
KA_ALERTS = "ka-alerts"
KA_ALERTS_CAPTION = "ka-alerts-caption"
KA_ACK = "ka-ack"
KA_RESOLVE = "ka-resolve"
KA_REOPEN = "ka-reopen"
KA_ALERT_MESSAGE = "ka-alert-message"

# --- Issue 20 item 4: scheduled digests on the Anomalies page (admins, for any user) ---
DS_LIST = "ds-list"
DS_TO = "ds-to"
DS_PERIOD = "ds-period"
DS_HOUR = "ds-hour"
DS_VIEW = "ds-view"
DS_ADD = "ds-add"
DS_PICK = "ds-pick"
DS_REMOVE = "ds-remove"
DS_RESULT = "ds-result"
DS_CHANGED = "ds-changed"
DS_USER = "ds-user"
