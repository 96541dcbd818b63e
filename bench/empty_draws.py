"""What the Overview's empty first draws cost the renderer (issue 17, bench/README Round 6).

Serves the app like bench.page_load, loads the Overview, then for each drawn chart times
(the page's clock, 3 rounds) an empty plot into a fresh div of the chart's size (what
dcc.Graph draws on mount), the chart's figure over it (the second draw), and the chart's
figure into a fresh div (one draw). Prints the medians per trace type and the page's sums.

    BENCH_DATABASE_URL=sqlite:///copy-of-the-1M-database.db python -m bench.empty_draws
"""

from __future__ import annotations

import argparse
import statistics

from bench.measure import add_database_argument, open_database
from bench.page_load import browser, load, served, settle

DRAWS = """
const done = arguments[arguments.length - 1];
const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(p => p._fullLayout);
const copy = x => JSON.parse(JSON.stringify(x));
const out = [];
(async () => {
  for (let round = 0; round < 3; round++) {
    for (const p of plots) {
      const data = copy(p.data), layout = copy(p.layout);
      const box = p.getBoundingClientRect();
      const fresh = () => {
        const d = document.createElement('div');
        d.style.width = box.width + 'px';
        d.style.height = box.height + 'px';
        document.body.appendChild(d);
        return d;
      };
      const cfg = {responsive: false, displayModeBar: false};
      const a = fresh();
      let t = performance.now();
      await Plotly.newPlot(a, [], {}, cfg);
      const empty = performance.now() - t;
      t = performance.now();
      await Plotly.react(a, data, layout, cfg);
      const over = performance.now() - t;
      const c = fresh();
      t = performance.now();
      await Plotly.newPlot(c, data, layout, cfg);
      const once = performance.now() - t;
      for (const d of [a, c]) { Plotly.purge(d); d.remove(); }
      out.push({round, type: (data[0] || {}).type || 'none', empty, over, once});
    }
  }
  done(out);
})();
"""
KINDS = ("empty", "over", "once")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_argument(parser)
    args = parser.parse_args()
    engine = open_database(args.database_url, parser)
    url = engine.url.render_as_string(hide_password=False)
    with served("app:server", url) as server:
        driver = browser()
        driver.set_script_timeout(300)
        try:
            load(driver, server.url + "/", 8, 0)
            settle(driver, 0)
            rows = driver.execute_async_script(DRAWS)
        finally:
            driver.quit()
    by_type: dict[str, list[dict]] = {}
    for r in rows:
        by_type.setdefault(r["type"], []).append(r)
    for kind, found in by_type.items():
        medians = {k: round(statistics.median(r[k] for r in found), 1) for k in KINDS}
        print(f"{kind:12} {len(found):3} draws, median ms {medians}")
    for k in KINDS:
        sums = [round(sum(r[k] for r in rows if r["round"] == i)) for i in range(3)]
        print(f"{k:6} per page (sum over the charts), rounds 1-3: {sums} ms")


if __name__ == "__main__":
    main()
