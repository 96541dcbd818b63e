"""`detect` previews a file for the admin page: format, encoding, mapping, first rows."""

import pytest

from dashapp.importer import ImportFileError, detect


def test_detects_the_real_export(sample_csv):
    found = detect(sample_csv)
    assert (found.format, found.encoding, found.delimiter) == ("classic", "cp850", ",")
    assert found.mapping["amount"] == "SALES"
    assert found.mapping["customer"] == "CUSTOMERNAME"
    assert len(found.preview) == 5
    assert found.preview[0]["ORDERNUMBER"] == "10107"


def test_detects_bytes_with_a_mapping():
    data = "Ref;Day;Who;What;Total\r\nR1;2024-01-02;Ann;Tea;3,50\r\n".encode("cp1252")
    found = detect(data, mapping={"order_id": "Ref", "order_date": "Day", "customer": "Who",
                                  "product_name": "What"})  # fmt: skip
    assert found.format == "generic"
    assert found.delimiter == ";"
    assert found.mapping == {"order_id": "Ref", "order_date": "Day", "customer": "Who",
                             "product_name": "What", "amount": "Total"}  # fmt: skip
    assert found.preview == [{"Ref": "R1", "Day": "2024-01-02", "Who": "Ann", "What": "Tea",
                              "Total": "3,50"}]  # fmt: skip


def test_per_order_export():
    found = detect(b"order_id,user_id,ts,amount,category,used_promo,payment_type\n1,2,3,4,5,0,c\n")
    assert found.format == "per_order"
    assert found.mapping["customer"] == "user_id"


def test_unreadable_input_raises():
    with pytest.raises(ImportFileError, match="empty"):
        detect(b"")
