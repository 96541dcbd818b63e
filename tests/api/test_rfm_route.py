"""GET /api/rfm on the tiny data set (needs dashapp.segments).

Non-cancelled orders per customer, up to the last order day 2024-02-05:
  Acme: O1 250.00 + O4 99.99 + O6 100.00 = 449.99 in 3 orders, last 2024-02-05 (0 days ago)
  Bolt: O2 135.00 + O5 100.00 = 235.00 in 2 orders, last 2024-01-15 (21 days ago)
  Cogs: only a cancelled order, so not scored.
"""

import pytest

import dashapp.segments  # noqa: F401


def test_scores_and_summary(api):
    body = api.get("/api/rfm").get_json()
    assert body["period_end"] == "2024-02-05"
    assert (body["total"], body["page"], body["page_size"]) == (2, 1, 100)
    got = [(c["name"], c["frequency"], c["monetary"], c["recency_days"]) for c in body["customers"]]
    assert got == [("Acme", 3, 449.99, 0), ("Bolt", 2, 235.0, 21)]
    assert len(body["summary"]) == 11  # every named segment, empty ones too
    assert sum(s["customers"] for s in body["summary"]) == 2
    assert sum(s["revenue"] for s in body["summary"]) == pytest.approx(684.99)


def test_paging_and_one_segment(api):
    body = api.get("/api/rfm?page=2&page_size=1").get_json()
    assert [c["name"] for c in body["customers"]] == ["Bolt"]
    assert body["total"] == 2
    acme_segment = api.get("/api/rfm").get_json()["customers"][0]["segment"]
    body = api.get(f"/api/rfm?segment={acme_segment}").get_json()
    assert "Acme" in [c["name"] for c in body["customers"]]
    assert all(c["segment"] == acme_segment for c in body["customers"])


def test_filters_apply(api):
    # December 2023 has only Bolt's O5.
    body = api.get("/api/rfm?start=2023-12-01&end=2023-12-31").get_json()
    assert [(c["name"], c["monetary"]) for c in body["customers"]] == [("Bolt", 100.0)]


def test_unknown_segment_is_400(api):
    r = api.get("/api/rfm?segment=Whales")
    assert r.status_code == 400
    assert r.get_json()["error"]["field"] == "segment"


def test_the_orders_segment_filter_is_order_segment_here(api):
    """/rfm's own `segment` is the RFM segment; the order's customer segment filter is
    `order_segment` on this route (as the CLI's --order-segment). The tiny shop's orders carry no
    segment, so filtering on one leaves no customer: total 0."""
    body = api.get("/api/rfm?order_segment=Corporate").get_json()
    assert body["total"] == 0
    assert api.get("/api/rfm?order_segment=Corporate&segment=Champions").status_code == 200
    doc = api.get("/api/openapi.json").get_json()
    names = [p["name"] for p in doc["paths"]["/api/rfm"]["get"]["parameters"]]
    assert names.count("segment") == 1 and "order_segment" in names
