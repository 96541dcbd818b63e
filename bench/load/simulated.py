"""One simulated user: signs in, then until the deadline changes the page's filters (the
Overview's Dash callbacks, as the browser sends them), asks the REST API for analytics, or
enters an order through the API, with a short think time between actions."""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

import httpx

from bench.load.instance import Account, Catalog
from dashapp.ui import ids

UPDATE = "/_dash-update-component"
# The Overview's data callbacks, by the first output id, with the name the report uses.
OVERVIEW = {
    ids.KPI_ROW: "page kpis",
    ids.TREND: "page trend",
    json.dumps(ids.xfilter(ids.CATEGORY_DONUT), sort_keys=True, separators=(",", ":")): (
        "page categories"
    ),
    json.dumps(ids.xfilter(ids.TOP_PRODUCTS), sort_keys=True, separators=(",", ":")): "page top",
    json.dumps(ids.xfilter(ids.COUNTRY_MAP), sort_keys=True, separators=(",", ":")): (
        "page countries"
    ),
    ids.CALENDAR: "page calendar",
}
API_ROUTES = (
    "kpis",
    "sales-over-time",
    "sales-by-category",
    "sales-by-country",
    "top-products",
    "top-customers",
)
PRESETS = ("7d", "30d", "90d", "ytd", "all")
COUNTRIES = ("USA", "France", "Germany", "UK", "Spain", "Japan", "Australia", "Canada")
CATEGORIES = ("Classic Cars", "Motorcycles", "Planes", "Ships", "Trains", "Trucks and Buses")
PRICES = (Decimal("4.99"), Decimal("12.50"), Decimal("19.99"), Decimal("99.95"), Decimal("0.01"))
DISCOUNTS = (Decimal("0"), Decimal("5"), Decimal("12.5"), Decimal("33.33"))


@dataclass
class Sample:
    """One request: what it was, how long it took, and whether it went as expected."""

    kind: str
    seconds: float
    ok: bool
    status: int | None = None
    error: str | None = None


@dataclass
class SentLine:
    sku: str
    product_id: int
    quantity: int
    unit_price: Decimal
    discount_pct: Decimal

    @property
    def amount_cents(self) -> int:
        """quantity x price x (1 - discount), half-up to the cent, worked out here in Decimal
        (not with the app's integer arithmetic) so the check is independent of it."""
        exact = self.quantity * self.unit_price * (1 - self.discount_pct / 100) * 100
        return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @property
    def discount_bp(self) -> int:
        return int(self.discount_pct * 100)

    @property
    def unit_price_cents(self) -> int:
        return int(self.unit_price * 100)


@dataclass
class SentOrder:
    """An order a client sent, and what the server answered."""

    ref: str
    customer_id: int
    lines: list[SentLine]
    status: int | None = None  # HTTP status; None when the request itself failed
    order_id: int | None = None
    total: Decimal | None = None

    @property
    def created(self) -> bool:
        return self.status == 201

    @property
    def amount_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


@dataclass
class Recorder:
    """Samples and orders from every user thread."""

    samples: list[Sample] = field(default_factory=list)
    orders: list[SentOrder] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def add_order(self, order: SentOrder) -> None:
        with self.lock:
            self.orders.append(order)


@dataclass(frozen=True)
class Plan:
    """What every user shares: where to go, what to pick from, how long, how fast."""

    base_url: str
    run_id: str
    catalog: Catalog
    callbacks: dict[str, dict]  # report name -> Dash dependency entry
    sync_view: dict
    last_day: date
    deadline: float
    think_s: float
    # Relative weights of the actions: page filter change, API analytics, order entry.
    weights: tuple[int, int, int] = (3, 3, 4)


def overview_callbacks(dependencies: list[dict]) -> tuple[dict[str, dict], dict]:
    """The Overview data callbacks (by report name) and the view-sync callback, from
    /_dash-dependencies."""
    found, sync = {}, None
    for dep in dependencies:
        outputs = parse_outputs(dep["output"])
        first = outputs[0]["id"]
        key = (
            first
            if isinstance(first, str)
            else json.dumps(first, sort_keys=True, separators=(",", ":"))
        )
        if key in OVERVIEW:
            found[OVERVIEW[key]] = dep
        elif key == ids.VIEW and dep["inputs"][0]["id"] == ids.URL:
            sync = dep
    if len(found) != len(OVERVIEW) or sync is None:
        raise SystemExit("the Overview callbacks were not found in /_dash-dependencies")
    return found, sync


def parse_outputs(output: str) -> list[dict]:
    """'..a.b...c.d..' -> [{'id': 'a', 'property': 'b'}, ...]; dict ids are JSON."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    outputs = []
    for part in parts:
        name, prop = part.rsplit(".", 1)
        outputs.append({"id": json.loads(name) if name.startswith("{") else name, "property": prop})
    return outputs


def callback_body(dep: dict, values: dict[str, Any], changed: str) -> dict:
    """The JSON the Dash renderer posts for one callback."""
    outputs = parse_outputs(dep["output"])
    inputs = []
    for item in dep["inputs"]:
        if item["id"].startswith("{"):  # a wildcard input: no matching components yet
            inputs.append([])
        else:
            key = f"{item['id']}.{item['property']}"
            inputs.append(
                {"id": item["id"], "property": item["property"], "value": values.get(key)}
            )
    return {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": inputs,
        "changedPropIds": [changed],
        "state": [],
    }


class SimulatedUser:
    """One person at the keyboard; call run() in its own thread."""

    def __init__(self, index: int, account: Account, plan: Plan, recorder: Recorder) -> None:
        self.index = index
        self.account = account
        self.plan = plan
        self.recorder = recorder
        self.rng = random.Random(1000 + index)
        self.sequence = 0

    def run(self) -> None:
        timeout = httpx.Timeout(60.0)
        headers = {"Authorization": f"Bearer {self.account.token}"}
        with (
            httpx.Client(base_url=self.plan.base_url, timeout=timeout) as self.page,
            httpx.Client(base_url=self.plan.base_url, timeout=timeout, headers=headers) as self.api,
        ):
            self.sign_in()
            actions = (self.change_filters, self.ask_api, self.enter_order)
            while time.monotonic() < self.plan.deadline:
                self.rng.choices(actions, self.plan.weights)[0]()
                time.sleep(self.rng.uniform(0, self.plan.think_s))

    # --- actions -------------------------------------------------------------------------

    def sign_in(self) -> None:
        form = {"username": self.account.username, "password": self.account.password}
        self.request("sign in", self.page, "POST", "/login", {302}, data=form)

    def change_filters(self) -> None:
        """Open the page with new filters: the view sync, then every Overview callback."""
        search = "?" + urlencode(self.random_filters(api=False), doseq=True)
        body = callback_body(
            self.plan.sync_view, {f"{ids.URL}.search": search}, f"{ids.URL}.search"
        )
        answer = self.request("page view sync", self.page, "POST", UPDATE, {200}, json=body)
        if answer is None:
            return
        view = answer.json()["response"][ids.VIEW]["data"]
        values = {
            f"{ids.VIEW}.data": view,
            f"{ids.REFRESH_TOKEN}.data": None,
            f"{ids.TOP_N}.value": self.rng.choice((5, 10, 15, 20)),
            f"{ids.TOP_BY}.value": self.rng.choice(("revenue", "units")),
        }
        for name, dep in self.plan.callbacks.items():
            body = callback_body(dep, values, f"{ids.VIEW}.data")
            self.request(name, self.page, "POST", UPDATE, {200}, json=body)

    def ask_api(self) -> None:
        route = self.rng.choice(API_ROUTES)
        params = self.random_filters(api=True)
        if route == "sales-over-time":
            params["period"] = self.rng.choice(("day", "week", "month"))
        if route.startswith("top-"):
            params.update(
                limit=self.rng.choice((5, 10, 20)), by=self.rng.choice(("revenue", "units"))
            )
        self.request(f"api {route}", self.api, "GET", f"/api/{route}", {200}, params=params)

    def enter_order(self) -> None:
        self.sequence += 1
        catalog = self.plan.catalog
        skus = self.rng.sample(sorted(catalog.products), self.rng.randint(1, 3))
        lines = [
            SentLine(
                sku,
                catalog.products[sku],
                self.rng.randint(1, 5),
                self.rng.choice(PRICES),
                self.rng.choice(DISCOUNTS),
            )
            for sku in skus
        ]
        if self.rng.random() < 0.3:  # the scarce product: concurrent orders compete for it
            lines.append(
                SentLine(
                    catalog.scarce_sku,
                    catalog.scarce_id,
                    self.rng.randint(1, 2),
                    Decimal("25.00"),
                    Decimal("0"),
                )
            )
        order = SentOrder(
            ref=f"load-{self.plan.run_id}-u{self.index:02d}-{self.sequence:05d}",
            customer_id=self.rng.choice(catalog.customer_ids),
            lines=lines,
        )
        body = {
            "customer_id": order.customer_id,
            "note": order.ref,
            "lines": [
                {
                    "product": line.sku,
                    "quantity": line.quantity,
                    "unit_price": str(line.unit_price),
                    "discount_pct": str(line.discount_pct),
                }
                for line in lines
            ],
        }
        answer = self.request(
            "api POST orders", self.api, "POST", "/api/orders", {201, 409}, json=body
        )
        if answer is not None:
            order.status = answer.status_code
            if answer.status_code == 201:
                saved = answer.json()
                order.order_id, order.total = saved["id"], Decimal(str(saved["total"]))
        self.recorder.add_order(order)

    # --- helpers -------------------------------------------------------------------------

    def random_filters(self, api: bool) -> dict[str, Any]:
        """A view a person might pick: a date preset or range, sometimes a country, category
        or status. The API takes explicit dates only."""
        params: dict[str, Any] = {}
        preset = self.rng.choice(PRESETS)
        if api or self.rng.random() < 0.3:
            days = {"7d": 7, "30d": 30, "90d": 90, "ytd": 200, "all": None}[preset]
            if days:
                end = self.plan.last_day - timedelta(days=self.rng.randint(0, 365))
                params.update(
                    start=(end - timedelta(days=days - 1)).isoformat(), end=end.isoformat()
                )
        elif preset != "all":
            params["range"] = preset
        if self.rng.random() < 0.3:
            params["country"] = self.rng.choice(COUNTRIES)
        if self.rng.random() < 0.3:
            params["category"] = self.rng.choice(CATEGORIES)
        if self.rng.random() < 0.1:
            params["status"] = "Shipped"
        if not api:
            params["granularity"] = self.rng.choice(("day", "week", "month"))
        return params

    def request(
        self, kind: str, client: httpx.Client, method: str, path: str, expected: set[int], **kwargs
    ) -> httpx.Response | None:
        """Send one request and record it; the response when its status was expected."""
        started = time.perf_counter()
        try:
            response = client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.recorder.add(Sample(kind, time.perf_counter() - started, False, None, repr(exc)))
            return None
        seconds = time.perf_counter() - started
        ok = response.status_code in expected
        error = None if ok else response.text[:300]
        self.recorder.add(Sample(kind, seconds, ok, response.status_code, error))
        return response if ok else None
