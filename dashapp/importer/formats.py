"""Recognise a CSV by its header and map its columns to the importer's fields.

Three formats: the classic order-line export (fixed column names), the one-row-per-order
export (order_id, user_id, ts, amount, ...), and any other order-line CSV whose headers are
common names. Header names are compared case-, space- and punctuation-insensitively, and a
user mapping (field -> column) overrides or completes what was detected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashapp.importer.errors import ImportFileError, NeedsAnswer

CLASSIC = "classic"
PER_ORDER = "per_order"
GENERIC = "generic"
# What stands for the customer of an order imported without customers (--no-customers) where
# a name is shown; the order is stored without one (reader.NO_CUSTOMER_KEY).
NO_CUSTOMER = "(no customer)"
LABELS = {
    CLASSIC: "classic order-line export",
    PER_ORDER: "one-row-per-order export",
    GENERIC: "order-line CSV",
}

# Every field a column can map to, with the header names that map to it by themselves, in
# order of preference (a customer *name* beats a customer *id* when a file has both).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "order_id": (
        "ordernumber",
        "orderid",
        "orderno",
        "ordernum",
        "invoiceno",
        "invoicenumber",
        "invoiceid",
        "invoice",
        "salesorder",
        "salesordernumber",
        "transactionid",
        "order",
    ),
    "order_date": (
        "orderdate",
        "orderdatetime",
        "invoicedate",
        "purchasedate",
        "saledate",
        "transactiondate",
        "orderedat",
        "ordertimestamp",
        "date",
        "datetime",
        "timestamp",
        "createdat",
        "ts",
    ),
    "customer": (
        "customername",
        "customer",
        "clientname",
        "client",
        "companyname",
        "company",
        "accountname",
        "buyer",
        "customerid",
        "clientid",
        "userid",
        "user",
    ),
    "customer_email": ("customeremail", "email", "emailaddress", "clientemail"),
    "sku": (
        "productcode",
        "sku",
        "stockcode",
        "productid",
        "itemcode",
        "itemid",
        "itemnumber",
        "partnumber",
        "articlenumber",
    ),
    "product_name": (
        "productname",
        "description",
        "product",
        "itemname",
        "itemdescription",
        "productdescription",
        "item",
    ),
    "category": ("category", "productline", "productcategory", "categoryname", "department"),
    "sub_category": ("subcategory", "productsubcategory"),
    "quantity": ("quantity", "quantityordered", "qty", "units", "unitssold", "quantitysold"),
    "unit_price": (
        "unitprice",
        "priceeach",
        "priceperunit",
        "itemprice",
        "saleprice",
        "sellingprice",
        "price",
    ),
    "amount": (
        "sales",
        "amount",
        "lineamount",
        "linetotal",
        "salesamount",
        "totalprice",
        "totalamount",
        "revenue",
        "total",
    ),
    "discount": ("discount", "discountrate", "discountpercent", "discountpct"),
    # A line's cost, or its profit (cost = amount - profit), as retail exports carry them.
    "cost": ("cost", "linecost", "totalcost", "costamount", "cogs", "costofgoodssold"),
    "profit": ("profit", "lineprofit", "grossprofit", "profitamount"),
    "ship_date": ("shipdate", "shippingdate", "shippeddate", "dateshipped", "dispatchdate"),
    "ship_mode": ("shipmode", "shippingmode", "shipmethod", "shippingmethod", "shipvia"),
    "line_number": ("orderlinenumber", "linenumber", "lineno", "line"),
    "country": ("country", "countryname", "shiptocountry", "shipcountry", "customercountry"),
    "status": ("status", "orderstatus"),
    "msrp": ("msrp", "listprice", "rrp"),
    "phone": ("phone", "phonenumber", "telephone", "tel"),
    "address_line1": (
        "addressline1",
        "address1",
        "address",
        "streetaddress",
        "street",
        "shippingaddress",
        "shipaddress",
        "shiptoaddress",
    ),
    "address_line2": ("addressline2", "address2"),
    "city": ("city", "town"),
    "state": ("state", "province"),
    "postal_code": ("postalcode", "zipcode", "zip", "postcode"),
    "territory": ("territory", "region", "salesregion", "market"),
    # Ship-to columns named as such; without them an order's ship-to is the row's city, state,
    # postal code and region (or territory).
    "ship_city": ("shipcity", "shiptocity", "shippingcity"),
    "ship_state": ("shipstate", "shiptostate", "shippingstate", "shipprovince"),
    "ship_postal_code": (
        "shippostalcode",
        "shiptopostalcode",
        "shippingpostalcode",
        "shipzip",
        "shiptozip",
        "shippingzip",
        "shipzipcode",
    ),
    "ship_region": ("shipregion", "shiptoregion", "shippingregion"),
    "contact_first_name": ("contactfirstname", "firstname"),
    "contact_last_name": ("contactlastname", "lastname"),
    "segment": ("segment", "customersegment"),
    "payment_type": ("paymenttype", "paymentmethod", "payment"),
    "promo": ("usedpromo", "promo", "ispromo", "promotion"),
    "channel": ("channel", "saleschannel"),
}
FIELDS = tuple(SYNONYMS)
# Friendlier names accepted in a user mapping (`--map date=Day`).
FIELD_ALIASES = {
    "date": "order_date",
    "order": "order_id",
    "order_number": "order_id",
    "product": "sku",
    "product_code": "sku",
    "price": "unit_price",
    "qty": "quantity",
    "email": "customer_email",
    "customer_name": "customer",
    "line": "line_number",
    "sales": "amount",
}

_CLASSIC_COLUMNS = {
    "order_id": "ORDERNUMBER",
    "quantity": "QUANTITYORDERED",
    "unit_price": "PRICEEACH",
    "line_number": "ORDERLINENUMBER",
    # SALES, not qty x price: PRICEEACH is capped at 100 in this export.
    "amount": "SALES",
    "order_date": "ORDERDATE",
    "status": "STATUS",
    "category": "PRODUCTLINE",
    "msrp": "MSRP",
    "sku": "PRODUCTCODE",
    "customer": "CUSTOMERNAME",
    "phone": "PHONE",
    "address_line1": "ADDRESSLINE1",
    "address_line2": "ADDRESSLINE2",
    "city": "CITY",
    "state": "STATE",
    "postal_code": "POSTALCODE",
    "country": "COUNTRY",
    "territory": "TERRITORY",
    "contact_last_name": "CONTACTLASTNAME",
    "contact_first_name": "CONTACTFIRSTNAME",
}
_CLASSIC_SIGNATURE = ("ORDERNUMBER", "QUANTITYORDERED", "PRICEEACH", "SALES", "ORDERDATE")
_CLASSIC_SIGNATURE += ("PRODUCTCODE", "CUSTOMERNAME")
_PER_ORDER_COLUMNS = {
    "order_id": "order_id",
    "customer": "user_id",
    "order_date": "ts",
    "amount": "amount",
    "category": "category",
    "promo": "used_promo",
    "payment_type": "payment_type",
    "status": "status",
    "country": "country",
    "channel": "channel",
}
_PER_ORDER_SIGNATURE = ("orderid", "userid", "ts", "amount")


@dataclass(frozen=True)
class Layout:
    """A recognised file: its format and, per mapped field, the column name and index."""

    format: str
    columns: dict[str, str]
    indexes: dict[str, int]
    width: int  # columns in the header

    @property
    def label(self) -> str:
        return LABELS[self.format]

    @property
    def per_order(self) -> bool:
        return self.format == PER_ORDER


def normalise(header: str) -> str:
    """'Order Date', 'ORDER_DATE' and 'order-date' all become 'orderdate'."""
    return re.sub(r"[^0-9a-z]", "", header.lower())


def detect_layout(
    header: list[str], mapping: dict[str, str] | None = None, no_customers: bool = False
) -> Layout:
    """Recognise the format from the header and map the fields, or raise ImportFileError
    (NeedsAnswer when only the customer column is missing: `no_customers` imports without)."""
    by_name = _column_index(header)
    if all(normalise(c) in by_name for c in _CLASSIC_SIGNATURE):
        fmt, auto = CLASSIC, _present(_CLASSIC_COLUMNS, by_name)
    elif _looks_per_order(by_name):
        fmt, auto = PER_ORDER, _present(_PER_ORDER_COLUMNS, by_name)
    else:
        fmt, auto = GENERIC, _by_synonyms(by_name)
    indexes = {f: by_name[normalise(col)] for f, col in auto.items()}
    for field, column in _user_mapping(mapping).items():
        key = normalise(column)
        if key not in by_name:
            raise ImportFileError(
                f"--map {field}={column}: the file has no column {column!r}; "
                f"its columns are: {_listing(header)}"
            )
        # A column given by the user is taken away from any field it was detected for.
        indexes = {f: i for f, i in indexes.items() if i != by_name[key]}
        indexes[field] = by_name[key]
    _check_required(fmt, indexes, header, no_customers)
    order = {f: n for n, f in enumerate(FIELDS)}
    indexes = dict(sorted(indexes.items(), key=lambda kv: order[kv[0]]))
    return Layout(fmt, {f: header[i].strip() for f, i in indexes.items()}, indexes, len(header))


def _column_index(header: list[str]) -> dict[str, int]:
    by_name: dict[str, int] = {}
    for i, name in enumerate(header):
        key = normalise(name)
        if key and key not in by_name:
            by_name[key] = i
    return by_name


def _present(columns: dict[str, str], by_name: dict[str, int]) -> dict[str, str]:
    return {f: c for f, c in columns.items() if normalise(c) in by_name}


def _looks_per_order(by_name: dict[str, int]) -> bool:
    # One row per order: the per-order columns and no product or quantity column.
    if not all(k in by_name for k in _PER_ORDER_SIGNATURE):
        return False
    line_level = SYNONYMS["sku"] + SYNONYMS["product_name"] + SYNONYMS["quantity"]
    return not any(k in by_name for k in line_level)


def _by_synonyms(by_name: dict[str, int]) -> dict[str, str]:
    taken: set[str] = set()
    found: dict[str, str] = {}
    for field, names in SYNONYMS.items():
        for name in names:
            if name in by_name and name not in taken:
                found[field] = name
                taken.add(name)
                break
    return found


def _user_mapping(mapping: dict[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw_field, column in (mapping or {}).items():
        field = raw_field.strip().lower().replace("-", "_")
        field = FIELD_ALIASES.get(field, field)
        if field not in SYNONYMS:
            raise ImportFileError(
                f"--map: unknown field {raw_field!r}; the fields are: {', '.join(FIELDS)}"
            )
        out[field] = column
    return out


def _check_required(
    fmt: str, indexes: dict[str, int], header: list[str], no_customers: bool
) -> None:
    required = (
        ("order_id", "order_date") if no_customers else ("order_id", "order_date", "customer")
    )
    missing = [f for f in required if f not in indexes]
    if fmt == PER_ORDER:
        missing += [] if "amount" in indexes else ["amount"]
    else:
        if "sku" not in indexes and "product_name" not in indexes:
            missing.append("sku (or product_name)")
        if "amount" not in indexes and "unit_price" not in indexes:
            missing.append("amount (or unit_price)")
    if missing == ["customer"]:
        raise NeedsAnswer(
            f"The file has no customer column (its columns are: {_listing(header)}). Name it "
            "with --map customer=COLUMN, or import without customers: the orders count in "
            "revenue, orders and units, but not in customers.",
            "--no-customers",
        )
    if missing:
        raise ImportFileError(
            "This file is not a recognised order export: no column for "
            f"{', '.join(missing)}. Its columns are: {_listing(header)}. "
            "Name the columns with --map FIELD=COLUMN, e.g. --map order_id=Invoice"
            + (
                " (a file without customers imports with --no-customers)."
                if "customer" in missing
                else "."
            )
        )


def _listing(header: list[str], limit: int = 30) -> str:
    names = [repr(h.strip()) for h in header[:limit]]
    return ", ".join(names) + (", ..." if len(header) > limit else "")
