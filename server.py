"""The portal as one ASGI app: Streamlit's pages (app.py) plus the few HTTP routes a websocket
cannot do, chiefly setting the HttpOnly session cookie after sign-in. `make run` serves this file
(`streamlit run server.py`); everything else about the app lives in app.py and core/."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache

import streamlit as st
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from streamlit.runtime.pages_manager import PagesManager

from core.accounts.sessions import COOKIE_NAME, collect_cookie
from core.db import make_engine, migrate, unit_of_work
from core.privacy.retention import run_retention
from core.reminders.job import run_reminders
from core.settings import database_url, reminder_interval, reminders_enabled, session_lifetime
from ui.cookie_routes import SERVED_WITH_ROUTES

os.environ[SERVED_WITH_ROUTES] = "1"
# app.py builds its navigation with st.navigation; without this, the very first request after
# a start would run a deep link such as /my_pair as a legacy `pages/` script, without app.py's
# sign-in gate. st.navigation sets the same flag itself, but only once app.py has run.
PagesManager.uses_pages_directory = False


@lru_cache(maxsize=4)
def _engine(url: str):  # noqa: ANN202
    engine = make_engine(url)
    migrate(engine)
    return engine


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


# A transparent 1×1 GIF: the page loads these routes as an image, so the cookie is set without
# reloading the page and the person's tab keeps its place and state.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


def _pixel() -> Response:
    return Response(PIXEL, media_type="image/gif", headers={"Cache-Control": "no-store"})


async def start_session(request: Request) -> Response:
    code = request.query_params.get("code", "")
    with unit_of_work(_engine(database_url())) as session:
        token = collect_cookie(code, session=session)
    response = _pixel()
    if token:
        response.set_cookie(
            COOKIE_NAME,
            token,
            max_age=int(session_lifetime().total_seconds()),
            httponly=True,
            samesite="lax",
            secure=_secure(request),
            path="/",
        )
    return response


async def end_session(request: Request) -> Response:
    """The page has already ended the session in the database; this removes the cookie."""
    response = _pixel()
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax")
    return response


class SecurityHeaders(BaseHTTPMiddleware):
    """Headers an IT security review expects on every response, pages included."""

    async def dispatch(self, request: Request, call_next):  # noqa: ANN001, ANN201
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Links with a token must not leak to other sites through the Referer header.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if request.url.path.startswith("/auth/"):
            response.headers["Cache-Control"] = "no-store"
        return response


log = logging.getLogger("portal.reminders")


async def _remind_forever() -> None:
    """Every few minutes, in a worker thread. Every server runs this; the job's lock and the
    outbox's dedupe keys make sure each reminder still goes out once."""
    while True:
        try:
            await asyncio.to_thread(run_reminders, _engine(database_url()))
        except Exception:  # noqa: BLE001  (a bad run must not stop the next ones)
            log.exception("reminder run failed")
        await asyncio.sleep(reminder_interval().total_seconds())


# Retention runs a minute after start (start-up and its migration are over by then) and then once
# a day: a pilot's free text is due days after it closed, so a day late is on time.
RETENTION_FIRST_RUN_SECONDS = 60
RETENTION_EVERY_SECONDS = 24 * 60 * 60


async def _retain_forever() -> None:
    """Free text of pilots past their retention period (core.privacy.retention). Every server
    runs this; its locks make the second run of the day find nothing left to remove."""
    await asyncio.sleep(RETENTION_FIRST_RUN_SECONDS)
    while True:
        try:
            await asyncio.to_thread(run_retention, _engine(database_url()))
        except Exception:  # noqa: BLE001  (a bad run must not stop the next ones)
            logging.getLogger("portal.retention").exception("retention run failed")
        await asyncio.sleep(RETENTION_EVERY_SECONDS)


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(_retain_forever())]
    if reminders_enabled():
        tasks.append(asyncio.create_task(_remind_forever()))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()


app = st.App(
    "app.py",
    routes=[
        Route("/auth/session", start_session, methods=["GET"]),
        Route("/auth/signout", end_session, methods=["GET"]),
    ],
    middleware=[Middleware(SecurityHeaders)],
    lifespan=lifespan,
)
