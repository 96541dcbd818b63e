"""Alembic environment: runs against the engine handed over in config.attributes."""

from alembic import context
from sqlalchemy import create_engine

from dashapp.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(
        config.get_main_option("sqlalchemy.url")
    )
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
        )
        if sqlite:
            # Batch mode rebuilds a table as copy, drop, rename: with foreign keys on, dropping
            # orders would first delete every order line (ON DELETE CASCADE). Off for the run
            # (a PRAGMA works only outside a transaction), the references checked before the
            # commit instead.
            _foreign_keys(connection, "OFF")
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
            connection.commit()
        finally:
            if sqlite:
                _foreign_keys(connection, "ON")


def _foreign_keys(connection, state: str) -> None:
    """PRAGMA foreign_keys on the driver's connection, outside SQLAlchemy's transaction."""
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={state}")


run_migrations_online()
