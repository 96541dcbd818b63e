"""The hand-made import fixtures of issue 21 (tests/importer/fixtures, figures in its README)."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> Path:
    return FIXTURES / name
