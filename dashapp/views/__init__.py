"""Saved views (SPEC §10, issue 20 item 6): a user's named section, filters and settings,
private to them or shared with everyone, opened again from a list, and named by a digest.

`records` holds the reads and writes with their ownership rules (checked here, whatever the
surface: page, API, CLI); `query` turns a page's query string into the canonical one a view
keeps, and says which of a view's values the data no longer has.
"""

from dashapp.views.query import canonical_query, missing_values
from dashapp.views.records import (
    MAX_NAME,
    MAX_VIEWS,
    SavedView,
    ViewAccessError,
    ViewNotFound,
    delete_view,
    find_view,
    get_view,
    list_views,
    rename_view,
    save_view,
)

__all__ = [
    "MAX_NAME",
    "MAX_VIEWS",
    "SavedView",
    "ViewAccessError",
    "ViewNotFound",
    "canonical_query",
    "delete_view",
    "find_view",
    "get_view",
    "list_views",
    "missing_values",
    "rename_view",
    "save_view",
]
