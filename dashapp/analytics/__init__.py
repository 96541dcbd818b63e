"""Metric definitions (SPEC §3) as SQL aggregates. UI, API, CLI and exports all call these."""
