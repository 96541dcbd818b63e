"""CSV import of orders (SPEC §5): format detection, encodings, validation, one transaction.

report = import_csv(engine, "orders.csv", mapping={"order_id": "Invoice"}, strict=False)
preview = detect("orders.csv")
"""

from dashapp.importer.errors import ImportFileError
from dashapp.importer.pipeline import Detection, detect, import_csv
from dashapp.importer.report import ImportReport, Reject

__all__ = ["Detection", "ImportFileError", "ImportReport", "Reject", "detect", "import_csv"]
