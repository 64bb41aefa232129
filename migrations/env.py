"""Alembic environment: the models' metadata is the target; SQLite uses batch mode for ALTERs.

On SQLite an upgrade runs with foreign keys off and in one transaction. Off, because batch mode
rebuilds a table by dropping it, and with foreign keys on that drop would delete (ON DELETE
CASCADE) or refuse because of the rows that point at it; a revision that rebuilds tables checks
them with PRAGMA foreign_key_check instead. One transaction, because pysqlite commits before each
DDL statement by itself: a revision that fails half-way must leave the database as it was.
"""

from alembic import context
from sqlalchemy import engine_from_config, event, pool
from sqlmodel import SQLModel

import core.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    sqlite = connectable.dialect.name == "sqlite"
    if sqlite:

        @event.listens_for(connectable, "connect")
        def _no_foreign_keys(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.isolation_level = None  # we send BEGIN ourselves (below)
            dbapi_conn.execute("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction

        @event.listens_for(connectable, "begin")
        def _begin(conn):  # noqa: ANN001
            conn.exec_driver_sql("BEGIN")

    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            transactional_ddl=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
