"""What the user waits for, in a real browser (issue 17, SPEC §8).

Serves the app and the floor (a minimal Dash page with one dcc.Graph of the Overview's chart
size) with the same gunicorn settings, and drives headless Chromium through the same tooling
as the browser tests:

- cold: a fresh browser profile and an empty answer cache (a new server), from navigation until
  every graph is drawn with its data; and the bytes on the wire;
- warm: the same page loaded again in that browser;
- filter: a date preset chosen on the Overview, until everything is redrawn;
- cross-filter: a bar of the top products clicked on the Overview, until everything is redrawn;
- sections: each sidebar section opened from the Overview (warm, under the preset's view),
  until drawn; on the Forecast, the interval changed.

Drawn: every callback the step set off has answered (Dash's own count of pending and completed
callbacks, so a step never ends before its slowest callback), every plot is drawn (a map with
its countries), and nothing is loading, seen twice 50 ms apart.

Prints median and p95 of --runs, the ratio to the floor measured in the same run, the target
of issue 17 beside each step, the server's CPU time (every gunicorn process, from /proc) and
the time the renderer's main thread was busy (Chromium's TaskDuration): on a shared machine
these move less than the wall-clock times. Each step starts once the server is idle (its
workers booted, and what the previous step set off in the background done); the load average
at the start and the end is printed and written with the results.

    BENCH_DATABASE_URL=sqlite:///data/bench/demo-1000000-seed42.db python -m bench.page_load
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
from selenium import webdriver
from selenium.common.exceptions import TimeoutException as SeleniumTimeout
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from bench.load.instance import free_port
from bench.measure import Run, Stats, add_database_argument, ms, open_database, row

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2
THREADS = 4
# Dash's callback queue (dash-renderer's store): callbacks waiting, running or being applied,
# and the count of those completed since the page loaded.
CALLBACKS = """
const stores = window.dash_stores || [];
const queues = ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed',
                'stored'];
let pending = 0, completed = 0;
for (const store of stores) {
  const callbacks = store.getState().callbacks;
  pending += queues.reduce((n, q) => n + callbacks[q].length, 0);
  completed += callbacks.completed;
}
"""
# Until drawn: every callback answered and applied, every plot rendered (a choropleth with its
# countries: it draws only once the map file has come), nothing loading.
STATE = (
    CALLBACKS
    + """
const plots = [...document.querySelectorAll('.js-plotly-plot')];
const drawn = p => p._fullLayout && p.querySelector('.main-svg') && !(
  (p._fullData || []).some(t => t.type === 'choropleth')
  && !p.querySelector('path.choroplethlocation'));
return {
  plots: plots.length,
  drawn: plots.every(drawn),
  loading: document.querySelectorAll('[data-dash-is-loading="true"]').length,
  stores: stores.length,
  pending: pending,
  completed: completed,
  now: performance.now(),
};
"""
)
# Click an element and say when (page clock) and how many callbacks had completed before.
CLICK = (
    CALLBACKS
    + """
const now = performance.now();
arguments[0].click();
return [now, completed];
"""
)
WIRE = """
const nav = performance.getEntriesByType('navigation')[0];
return performance.getEntriesByType('resource').reduce((s, e) => s + e.transferSize,
                                                        nav ? nav.transferSize : 0);
"""
POLL_S = 0.05
# How long a step waits for the server to finish what the previous one set off.
IDLE_WAIT_S = 60
TIMEOUT_S = 120
# Issue 17's targets, printed beside the figures.
TARGETS = {
    "overview cold": "1.3x floor",
    "filter": "0.5 s",
    "cross-filter": "0.5 s",
    "section": "1 s",
    "interval": "0.3 s",
}


class Server:
    """A served app: its address, and the CPU time its gunicorn processes have used."""

    def __init__(self, url: str, pid: int) -> None:
        self.url = url
        self.process = psutil.Process(pid)

    def wait_until_booted(self, workers: int, deadline: float) -> None:
        """Until every worker has imported the app and the server is idle: gunicorn listens
        before its workers have loaded the app (seconds of imports on 2 cores), and a page
        loaded meanwhile would time the boot, not what a user of a running server waits for."""
        self.wait_until_idle(deadline, workers)

    def wait_until_idle(self, deadline: float, workers: int = 0) -> None:
        """Until the server has used almost no CPU for a second (and has `workers` workers):
        what a step set off in the background (a forecast fitted after the Forecast section
        was left, an answer being written) would otherwise be charged to the next step, and
        slow it down on 2 cores."""
        quiet = 0
        before = self.cpu_s()
        while quiet < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.cpu_s()
            booted = len(self.process.children()) >= workers
            quiet = quiet + 1 if booted and now - before < 0.05 else 0
            before = now

    def cpu_s(self) -> float:
        """User and system CPU seconds of the master and every worker so far."""
        total = 0.0
        for proc in [self.process, *self.process.children(recursive=True)]:
            try:
                times = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total


@contextmanager
def served(target: str, database_url: str):
    """gunicorn serving `target` (module:attribute) with an empty answer cache."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="sp-page-") as cache:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SALES_PULSE_DEMO": "1",
            "SALES_PULSE_DEMO_ORDERS": "0",
            "SALES_PULSE_CACHE_DIR": cache,
            # The daily scheduled check would scan the data in a worker while pages are timed.
            "SALES_PULSE_CHECK_HOUR": "off",
        }
        command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
        command += ["--threads", str(THREADS), "--bind", f"127.0.0.1:{port}", target]
        log = open(Path(cache) / "server.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(Path(cache, "server.log").read_text()) from None
                    time.sleep(0.2)
            server = Server(url, proc.pid)
            server.wait_until_booted(WORKERS, deadline)
            yield server
        finally:
            proc.terminate()
            proc.wait(30)
            log.close()


def browser() -> webdriver.Chrome:
    """Headless Chromium with a fresh profile (nothing cached)."""
    options = Options()
    binary = os.environ.get("DASH_TEST_CHROMEPATH") or "/usr/bin/chromium"
    if Path(binary).exists():
        options.binary_location = binary
    for arg in ("--headless=new", "--window-size=1366,900", "--no-sandbox", "--disable-gpu"):
        options.add_argument(arg)
    options.add_argument("--disable-background-networking")
    driver = webdriver.Chrome(options=options)
    driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
    return driver


def main_thread_s(driver) -> float:
    """Seconds the renderer's main thread has been busy with tasks (scripts, style, layout,
    paint) in the current document (Chromium's Performance.getMetrics TaskDuration)."""
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return next((m["value"] for m in metrics if m["name"] == "TaskDuration"), 0.0)


@contextmanager
def costs(server: Server, driver, into: dict[str, list[float]], name: str):
    """Record the server CPU and the renderer's main-thread time that the block took, once the
    server is idle (IDLE_WAIT_S at most)."""
    server.wait_until_idle(time.monotonic() + IDLE_WAIT_S)
    cpu, busy = server.cpu_s(), main_thread_s(driver)
    yield
    time.sleep(0.3)  # let a worker finish writing its answer to the cache
    into.setdefault(f"{name} server", []).append((server.cpu_s() - cpu) * 1000)
    after = main_thread_s(driver)
    # A navigation starts a new document, whose counter starts at zero.
    into.setdefault(f"{name} main", []).append((after - busy if after >= busy else after) * 1000)


def until_drawn(driver, min_plots: int, since: float = 0.0, completed: int = 0) -> float:
    """Milliseconds (on the page's clock) at which the page was first seen drawn, after `since`.
    Drawn: more callbacks completed than `completed` and none pending, at least `min_plots`
    plots rendered, nothing loading; the same twice in a row."""
    deadline = time.monotonic() + TIMEOUT_S
    first, seen = None, None
    while time.monotonic() < deadline:
        try:
            state = driver.execute_script(STATE)
        except SeleniumTimeout:
            # The renderer was too busy to answer the poll (seen at load 15 on 2 cores): the
            # page is not drawn yet; ask again.
            first = None
            continue
        done = (
            state["stores"] > 0
            and state["completed"] > completed
            and state["pending"] == 0
            and state["plots"] >= min_plots
            and state["drawn"]
            and state["loading"] == 0
        )
        if done and state["now"] > since and (first is None or state["completed"] == seen):
            if first is not None:
                return first - since
            first, seen = state["now"], state["completed"]
        else:
            first = None
        time.sleep(POLL_S)
    raise TimeoutError(f"not drawn in {TIMEOUT_S}s: {driver.execute_script(STATE)}")


def click(driver, element, min_plots: int = 0) -> float:
    """Click `element` as a user would (a real pointer click); ms until every callback it set
    off has answered and the page is drawn."""
    start, completed = driver.execute_script(CALLBACKS + "return [performance.now(), completed];")
    ActionChains(driver).move_to_element(element).click().perform()
    return until_drawn(driver, min_plots, since=start, completed=completed)


def settle(driver, completed: int) -> int:
    """The number of plots once the page has had time to draw everything."""
    until_drawn(driver, 1, completed=completed)
    time.sleep(2)
    until_drawn(driver, 1, completed=completed)
    return driver.execute_script(STATE)["plots"]


def load(driver, url: str, plots: int, completed: int) -> float:
    """Navigate to `url`; ms until drawn (more than `completed` callbacks answered: 0 for the
    app, -1 for the floor, which has none)."""
    driver.get(url)
    return until_drawn(driver, plots, completed=completed)


def choose_preset(driver, label: str) -> float:
    """Open the date-preset dropdown and pick `label`; ms until the page is redrawn."""
    driver.find_element(By.CSS_SELECTOR, "#filter-preset").click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        options = driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option")
        chosen = next((o for o in options if o.text == label), None)
        if chosen is not None:
            start, completed = driver.execute_script(CLICK, chosen)
            return until_drawn(driver, 1, since=start, completed=completed)
        time.sleep(POLL_S)
    raise TimeoutError(f"no preset {label!r}")


def open_section(driver, href: str) -> float:
    link = driver.find_element(By.CSS_SELECTOR, f'a.nav-link[href^="{href}"]')
    start, completed = driver.execute_script(CLICK, link)
    return until_drawn(driver, 0, since=start, completed=completed)


def cross_filter(driver) -> float:
    """Click the top products' first bar (filter on that product); ms until redrawn."""
    bar = driver.find_element(By.CSS_SELECTOR, '[id*="top-products"] .bars .point path')
    return click(driver, bar, 1)


def change_interval(driver, label: str) -> float:
    """On the Forecast, choose the interval `label` ("95 %"); ms until the chart is redrawn."""
    choices = driver.find_elements(By.CSS_SELECTOR, "#fc-level label")
    return click(driver, next(c for c in choices if c.text == label), 1)


# The forecast chart's plot element: marked before an interval change, so whether the same
# element is still there after it (drawn in place, not mounted again) can be told.
MARK_PLOT = """
const plot = document.querySelector('#fc-body .js-plotly-plot');
if (plot) { plot.dataset.benchMark = arguments[0]; }
"""
PLOT_MARK = """
const plot = document.querySelector('#fc-body .js-plotly-plot');
return plot ? plot.dataset.benchMark || null : null;
"""


def measure_interval(database_url: str, runs: int, changes: int = 4) -> list[dict]:
    """Only the Forecast's interval change: the section opened directly, then `changes`
    interval changes per run (95, 90, 80 %...), each timed until redrawn; and how many of them
    drew in the plot element that was there before (not a new one mounted)."""
    times: list[float] = []
    spent: dict[str, list[float]] = {}
    kept = 0
    for i in range(runs):
        with served("app:server", database_url) as server:
            driver = browser()
            try:
                load(driver, server.url + "/forecast", 1, 0)
                for j in range(changes):
                    level = ("95 %", "90 %", "80 %")[j % 3]
                    mark = f"{i}-{j}"
                    driver.execute_script(MARK_PLOT, mark)
                    with costs(server, driver, spent, "interval"):
                        times.append(change_interval(driver, level))
                    kept += driver.execute_script(PLOT_MARK) == mark
            finally:
                driver.quit()
        print(f"run {i + 1}/{runs} done", file=sys.stderr)
    out = row("page", "Forecast, the interval changed, until redrawn", Stats(tuple(times)))
    out["target"] = TARGETS["interval"]
    out["server_cpu_ms"] = round(Stats(tuple(spent["interval server"])).median_ms, 1)
    out["main_thread_ms"] = round(Stats(tuple(spent["interval main"])).median_ms, 1)
    out["drawn_in_place"] = f"{kept}/{len(times)}"
    return [out]


def measure(database_url: str, runs: int) -> list[dict]:
    cold: dict[str, list[float]] = {"floor": [], "overview": []}
    wire: dict[str, list[float]] = {"floor": [], "overview": []}
    warm: dict[str, list[float]] = {"floor": [], "overview": []}
    filters: list[float] = []
    clicks: list[float] = []
    intervals: list[float] = []
    sections: dict[str, list[float]] = {}
    spent: dict[str, list[float]] = {}  # server CPU and renderer main-thread ms per step
    expected = {}
    for i in range(runs):
        for name, target in (("floor", "bench.floor_page:server"), ("overview", "app:server")):
            callbacks = -1 if name == "floor" else 0
            if name not in expected:  # a first, unmeasured look: how many graphs there are
                with served(target, database_url) as server:  # (its own server and cache)
                    driver = browser()
                    driver.get(server.url)
                    expected[name] = settle(driver, callbacks)
                    driver.quit()
            with served(target, database_url) as server:
                url = server.url
                driver = browser()
                try:
                    with costs(server, driver, spent, f"{name} cold"):
                        cold[name].append(load(driver, url + "/", expected[name], callbacks))
                    wire[name].append(driver.execute_script(WIRE))
                    with costs(server, driver, spent, f"{name} warm"):
                        warm[name].append(load(driver, url + "/", expected[name], callbacks))
                    if name == "overview":
                        preset = "Last 90 days" if i % 2 == 0 else "Year to date"
                        with costs(server, driver, spent, "preset"):
                            filters.append(choose_preset(driver, preset))
                        # The click before the sections tour: the Forecast's fit, set off by
                        # the tour, may run in the background for longer than IDLE_WAIT_S.
                        preset_url = driver.current_url
                        load(driver, url + "/", expected[name], callbacks)
                        with costs(server, driver, spent, "cross-filter"):
                            clicks.append(cross_filter(driver))
                        load(driver, preset_url, expected[name], callbacks)
                        links = driver.find_elements(By.CSS_SELECTOR, "a.nav-link[href]")
                        hrefs = [a.get_attribute("href") for a in links]
                        paths = (h.removeprefix(url).split("?")[0] for h in hrefs)
                        for href in dict.fromkeys(paths):
                            if href in ("/", ""):
                                continue
                            with costs(server, driver, spent, href):
                                sections.setdefault(href, []).append(open_section(driver, href))
                            if href == "/forecast":
                                level = "95 %" if i % 2 == 0 else "90 %"
                                with costs(server, driver, spent, "interval"):
                                    intervals.append(change_interval(driver, level))
                finally:
                    driver.quit()
        print(f"run {i + 1}/{runs} done", file=sys.stderr)
    mb = 1024 * 1024

    def line(
        name: str,
        samples: list[float],
        floor: list[float] | None = None,
        step: str = "",
        target: str = "",
        **extra,
    ) -> dict:
        stats = Stats(tuple(samples))
        out = row("page", name, stats, **extra)
        if target:
            out["target"] = target
        if step:
            out["server_cpu_ms"] = round(Stats(tuple(spent[f"{step} server"])).median_ms, 1)
            out["main_thread_ms"] = round(Stats(tuple(spent[f"{step} main"])).median_ms, 1)
        if floor:
            out["floor_ms"] = round(Stats(tuple(floor)).median_ms, 1)
            out["to_floor"] = round(stats.median_ms / out["floor_ms"], 2)
        return out

    rows = [
        line(
            "floor: one-graph Dash page, cold",
            cold["floor"],
            step="floor cold",
            wire_mb=round(max(wire["floor"]) / mb, 2),
        ),
        line(
            "Overview, cold (fresh profile, empty answer cache)",
            cold["overview"],
            cold["floor"],
            step="overview cold",
            target=TARGETS["overview cold"],
            wire_mb=round(max(wire["overview"]) / mb, 2),
        ),
        line("floor, warm (same browser)", warm["floor"], step="floor warm"),
        line("Overview, warm", warm["overview"], warm["floor"], step="overview warm"),
        line(
            "Overview, a date preset chosen, until redrawn",
            filters,
            step="preset",
            target=TARGETS["filter"],
        ),
        line(
            "Overview, a top product clicked (cross-filter), until redrawn",
            clicks,
            step="cross-filter",
            target=TARGETS["cross-filter"],
        ),
    ]
    for href, samples in sections.items():
        rows.append(
            line(
                f"section {href}, opened from the Overview",
                samples,
                step=href,
                target=TARGETS["section"],
            )
        )
        if href == "/forecast" and intervals:
            rows.append(
                line(
                    "Forecast, the interval changed, until redrawn",
                    intervals,
                    step="interval",
                    target=TARGETS["interval"],
                )
            )
    return rows


def print_rows(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    width = max(len(r["name"]) for r in rows)
    print(
        f"{'':{width}}  {'median ms':>10} {'p95 ms':>10} {'runs':>5} {'x floor':>8} {'wire MB':>8}"
        f" {'server CPU ms':>14} {'main thread ms':>15} {'target':>11}"
    )
    for r in rows:
        to_floor = f"{r['to_floor']:.2f}x" if r.get("to_floor") else ""
        wire = f"{r['wire_mb']:.2f}" if r.get("wire_mb") is not None else ""
        print(
            f"{r['name']:{width}}  {ms(r['median_ms']):>10} {ms(r['p95_ms']):>10} "
            f"{r['runs']:>5} {to_floor:>8} {wire:>8}"
            f" {ms(r.get('server_cpu_ms')):>14} {ms(r.get('main_thread_ms')):>15}"
            f" {r.get('target', ''):>11}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_argument(parser)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--only",
        choices=("all", "interval"),
        default="all",
        help="interval: only the Forecast's interval change (4 a run), on a server of its own",
    )
    args = parser.parse_args()
    engine = open_database(args.database_url, parser)
    url = engine.url.render_as_string(hide_password=False)
    # Its own results file: one step does not replace the whole table's.
    run = Run("page_load" if args.only == "all" else f"page_load_{args.only}", engine)
    print(run.header())
    rows = (measure_interval if args.only == "interval" else measure)(url, args.runs)
    for r in rows:
        if "drawn_in_place" in r:
            print(f"{r['name']}: drawn in the same plot element {r['drawn_in_place']} times")
    print_rows(f"What the user waits for ({args.runs} runs; x floor = median / the floor's)", rows)
    print(f"load average {os.getloadavg()[0]:.1f} at the end (1-minute, {os.cpu_count()} cores)")
    print(f"written: {run.write(rows, runs=args.runs, workers=WORKERS, threads=THREADS)}")


if __name__ == "__main__":
    main()
