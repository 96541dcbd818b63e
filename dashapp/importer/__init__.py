"""CSV import of orders (SPEC §5): format detection, encodings, validation, one transaction.

report = import_csv(engine, "orders.csv", mapping={"order_id": "Invoice"}, strict=False,
                    options=ReadOptions(date_format="dd/mm/yyyy"))
preview = detect("orders.csv")
"""

from dashapp.importer.errors import ImportFileError, NeedsAnswer
from dashapp.importer.options import ReadOptions
from dashapp.importer.pipeline import Detection, detect, import_csv, import_files, read_file
from dashapp.importer.report import ImportReport, Reject

__all__ = [
    "Detection",
    "ImportFileError",
    "ImportReport",
    "NeedsAnswer",
    "ReadOptions",
    "Reject",
    "detect",
    "import_csv",
    "import_files",
    "read_file",
]
