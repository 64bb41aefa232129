"""Shared fixtures: every test gets its own migrated SQLite file (a copy of one migrated once)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from core.db import make_engine, migrate

pytest_plugins = ["tests.builders.smtp"]

# Tests never read a developer's secrets.toml or mail settings: each test sets what it needs.
os.environ["PORTAL_SECRETS_FILE"] = str(Path(__file__).parent / "no-secrets.toml")
for _name in ("SMTP_HOST", "SMTP_PORT", "SMTP_SECURITY", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM",
              "PORTAL_REQUIRE_SSO", "PORTAL_BASE_URL"):  # fmt: skip
    os.environ.pop(_name, None)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def db_url(tmp_path: Path, migrated_template: Path) -> str:
    target = tmp_path / "portal.db"
    shutil.copyfile(migrated_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database per test, dropped afterwards. `.ci/run` starts a
    server and sets TEST_POSTGRES_URL; without it the test is skipped."""
    admin_url = os.environ.get("TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip("TEST_POSTGRES_URL is not set (see .ci/run)")
    name = f"portal_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(autouse=True, scope="session")
def _navigation_apps_only() -> Iterator[None]:
    """AppTest builds a fresh PagesManager for every run and, because a `pages/` folder exists,
    flags the app as a legacy auto-discovered multipage app; from the second run on it then
    executes page files directly instead of app.py. A real server clears that flag as soon as
    app.py calls st.navigation, so we do the same here: app.py always uses st.navigation."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    yield
    PagesManager.__init__ = original
