"""`python -m dashapp targets list|set|import` on one SQLite database (the domain's own tests
cover both backends): the same figures as the page (tests/targets/shop.py), bad input named
with its line and nothing changed, a CSV set all or none."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dashapp.store.models import AuditLog, Target
from tests.cli_runner import run_cli
from tests.databases import migrate
from tests.targets.shop import PLANES, seed_march


@pytest.fixture
def shop(new_engine):
    engine = new_engine("targets-cli")
    migrate(engine)
    seed_march(engine)
    return engine


def _count(engine, table=Target) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table.__table__))


def test_set_and_list(shop):
    result = run_cli(shop, "targets", "set", "2024-03", "revenue", "10,000.00", "--user", "ana")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Set Revenue target for the business in March 2024: $10,000.00 (id 1)\n"
    )
    listed = run_cli(shop, "targets", "list", "--as-of", "2024-03-10")
    assert listed.exit_code == 0, listed.output
    # 4,000.00 by 10 March: 4,000.00 / 10 x 31 = 12,400.00 projected (linear run-rate).
    assert listed.output.splitlines()[0] == "Progress to 10 Mar 2024"
    line = listed.output.splitlines()[1]
    assert "2024-03" in line and "$10,000.00" in line and "actual" in line
    assert "$4,000.00" in line and "on track" in line and "projected $12,400.00" in line
    assert "[run-rate]" in line
    with shop.connect() as conn:
        who = conn.scalar(select(AuditLog.username).where(AuditLog.entity == "target"))
    assert who == "ana"


def test_a_bad_target_changes_nothing(shop):
    result = run_cli(shop, "targets", "set", "2024-03", "revenue", "0", "--scope", "planet")
    assert result.exit_code == 1
    assert "Nothing was changed:" in result.output
    assert "scope: Scope must be one of business, category, region, user, got 'planet'" in (
        result.output
    )
    assert "amount: Amount must be more than 0" in result.output
    assert _count(shop) == 0


def test_import_is_all_or_none(shop, tmp_path):
    good = tmp_path / "targets.csv"
    good.write_text(
        "period,metric,scope,key,amount\n"
        '2024-03,revenue,,,"10,000.00"\n'
        f"2024-Q1,orders,category,{PLANES},120\n"
        "2024-03,revenue,user,sam,3000\n",
        encoding="utf-8",
    )
    result = run_cli(shop, "targets", "import", str(good))
    assert result.exit_code == 0, result.output
    assert result.output == f"Set 3 target(s) from {good}\n"
    assert _count(shop) == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "month,measure,category,target\n"  # the aliases: category names the scope
        "2024-04,revenue,Planes,500\n"
        "2024-04,revenue,Plains,500\n"
        "2024-04,revenue,,0\n"
        "2024-04,revenue,Planes,600\n",
        encoding="utf-8",
    )
    result = run_cli(shop, "targets", "import", str(bad))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Nothing was imported:",
        "  line 3, key: Unknown category 'Plains'; did you mean 'Planes'?",
        "  line 4, amount: Amount must be more than 0",
        "  line 5, period: Same period, metric and scope as line 2: one of them",
    ]
    assert _count(shop) == 3
