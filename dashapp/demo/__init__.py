"""Realistic demo orders from a seed (SPEC §5): trend, weekly and yearly seasonality,
promotions, a few nearly sold-out products and known revenue drops for the anomaly detector."""

from dashapp.demo.drops import InjectedDrop, injected_drops
from dashapp.demo.generate import DemoError, DemoReport, build_demo, generate_demo

__all__ = [
    "DemoError",
    "DemoReport",
    "InjectedDrop",
    "build_demo",
    "generate_demo",
    "injected_drops",
]
