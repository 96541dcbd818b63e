"""Metric definitions (SPEC §3) as SQL aggregates. UI, API, CLI and exports all call these.

`measures.py` says what each number is, once (a sum of a rollup measure, or a ratio of two);
`query.py` picks the rows that answer a filter: rollup tables found by their keys in the grain
declarations (dashapp.store.grains), or the order lines; `kpis.py`, `breakdowns.py` and
`topn.py` total the measures over those rows.
"""
