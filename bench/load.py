"""Concurrent browser sessions doing real journeys, then a count of what the database kept.

    python bench/load.py --sessions 10 --setup sqlite      # one server on a fresh SQLite file
    python bench/load.py --sessions 10 --setup postgres    # deploy/run-local.sh: two servers
                                                           # behind HAProxy on a fresh database

Every session but one is a mentee with an active pair: sign in, open My pair, log a session
with a takeaway unique to that session, submit the start check-in. The last one is the
programme admin: sign in, open the dashboard, run matching. All sessions stay open (each its
own browser context and websocket) until the end. Afterwards the database is compared with
what each page said: a session the page called saved must be there once, nothing else may be.

Prints the sessions held, p50/p95 seconds per step, the errors and the lost or duplicated
writes. Everything runs on 127.0.0.1; every wait is bounded (--step-timeout) and so is the whole
run (--max-seconds).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from core.accounts.invitations import accept_invitation, send_invitation  # noqa: E402
from core.auth import create_admin  # noqa: E402
from core.db import make_engine, migrate, unit_of_work  # noqa: E402
from core.models import Pair, PairStatus, PilotStatus, Role, Topic, TopicKind  # noqa: E402
from core.people.participants import PersonInput, add_participant  # noqa: E402
from core.people.profiles import ProfileInput, save_expertise, save_goal, save_profile  # noqa: E402
from core.pilots.settings import PilotInput, create_pilot  # noqa: E402

PASSWORD = "load test passphrase"
ADMIN = "load-admin@example.com"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]  # fmt: skip
# Unpaired people for the admin's matching run, so that it has something to do.
UNPAIRED = 4
STEPS = ("sign in", "open My pair", "log a session", "submit check-in", "open dashboard",
         "run matching")  # fmt: skip


# --- the data ------------------------------------------------------------------------------


def _person(session: Session, admin, pilot_id: int, email: str, role: str, grade: int):  # noqa: ANN001, ANN202
    enrollment = add_participant(
        admin, pilot_id,
        PersonInput(email=email, name=email.split("@")[0].replace("-", " ").title(), role=role,
                    grade=grade, department="Finance" if role == Role.MENTEE else "IT"),
        session=session,
    )  # fmt: skip
    token = send_invitation(admin, enrollment.id, session=session).link.split("token=", 1)[1]
    return accept_invitation(token, PASSWORD, PASSWORD, session=session), enrollment


def seed(db_url: str, mentees: int) -> dict:
    """A running pilot: `mentees` mentees in active pairs and a few people still unpaired."""
    engine = make_engine(db_url)
    migrate(engine)
    with unit_of_work(engine) as session:
        admin = create_admin(ADMIN, "Load Admin", PASSWORD, session=session)
        start = date.today() - timedelta(days=20)
        pilot = create_pilot(
            admin, PilotInput(name="Load pilot", start_date=start,
                              end_date=start + timedelta(days=180)), session=session,
        )  # fmt: skip
        pilot.status = PilotStatus.RUNNING
        session.add(pilot)
        topic = session.exec(
            select(Topic.id).where(Topic.pilot_id == pilot.id, Topic.kind == TopicKind.LEARN,
                                   Topic.name == "Generative AI basics")
        ).one()  # fmt: skip
        users = []
        for i in range(mentees):
            mentee, mentee_enrollment = _person(
                session, admin, pilot.id, f"mentee-{i}@example.com", Role.MENTEE, 12
            )
            _, mentor_enrollment = _person(
                session, admin, pilot.id, f"mentor-{i}@example.com", Role.MENTOR, 3
            )
            save_goal(mentee, pilot.id, topic_id=topic, priority=1,
                      objective="Draft my weekly update with an AI assistant", session=session)  # fmt: skip
            now = datetime.now(UTC)
            session.add(
                Pair(pilot_id=pilot.id, mentee_enrollment_id=mentee_enrollment.id,
                     mentor_enrollment_id=mentor_enrollment.id, status=PairStatus.ACTIVE,
                     mentee_response="accepted", mentor_response="accepted",
                     published_at=now, accepted_at=now)
            )  # fmt: skip
            users.append({"email": mentee.email, "person_id": mentee.person_id})
        for i in range(UNPAIRED):
            mentee, _ = _person(
                session, admin, pilot.id, f"waiting-{i}@example.com", Role.MENTEE, 12
            )
            mentor, _ = _person(session, admin, pilot.id, f"free-{i}@example.com", Role.MENTOR, 3)
            save_goal(mentee, pilot.id, topic_id=topic, priority=1,
                      objective="Spot a phishing email before I open it", session=session)  # fmt: skip
            save_expertise(mentor, pilot.id, topic_id=topic, level=3, session=session)
            for who in (mentee, mentor):
                save_profile(who, pilot.id, ProfileInput(availability=["mon-am"], consent=True),
                             session=session)  # fmt: skip
    engine.dispose()
    return {"pilot_id": pilot.id, "users": users}


# --- the set-ups ---------------------------------------------------------------------------


def _wait_healthy(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not become healthy")


class SqliteServer:
    """One `streamlit run server.py` on a fresh SQLite file."""

    def __init__(self, port: int):
        self.folder = tempfile.mkdtemp(prefix="portal-load-")
        self.db_url = f"sqlite:///{self.folder}/load.db"
        self.url = f"http://127.0.0.1:{port}"
        self.port = port

    def start(self) -> None:
        env = {**os.environ, "DATABASE_URL": self.db_url, "PORTAL_BASE_URL": self.url}
        self.log = open(Path(self.folder) / "server.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "server.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port),
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        _wait_healthy(self.url)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class TwoServers:
    """deploy/run-local.sh on a fresh PostgreSQL database, dropped afterwards."""

    def __init__(self, port: int, admin_url: str):
        from deploy.create_database import create_database

        self.admin_url = admin_url
        self.name = f"portal_load_{secrets.token_hex(4)}"
        self.db_url = create_database(admin_url, self.name)
        self.url = f"http://127.0.0.1:{port}"
        self.port = port

    def start(self) -> None:
        env = {**os.environ, "DATABASE_URL": self.db_url, "PORT": str(self.port),
               "PY": sys.executable}  # fmt: skip
        self.proc = subprocess.Popen(
            ["bash", "deploy/run-local.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        for line in self.proc.stdout:
            if "The portal runs on two servers" in line:
                break
            if time.monotonic() > deadline:
                break
        else:
            raise SystemExit("deploy/run-local.sh stopped before the portal was up")
        _wait_healthy(self.url)

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        admin.dispose()


# --- the sessions --------------------------------------------------------------------------


@dataclass
class Results:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    told_session: dict[str, str] = field(default_factory=dict)  # email -> takeaway marker
    told_checkin: set[str] = field(default_factory=set)
    told_matching: bool = False
    held: int = 0
    servers: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # SERVERID -> n
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, step: str, who: str, action) -> bool:  # noqa: ANN001
        start = time.perf_counter()
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - every failure is a figure here
            with self.lock:
                self.errors.append(f"{step} ({who}): {type(exc).__name__}: {str(exc)[:160]}")
            return False
        with self.lock:
            self.timings[step].append(time.perf_counter() - start)
        return True


def _journeys(url: str, users: list[dict], admin: bool, run: str, timeout: float,
              results: Results, deadline: float) -> None:  # fmt: skip
    """One browser; one context per user; the steps taken in turns, so that every session
    stays open while the others work."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=timeout * 1000)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = {}
        people = [u["email"] for u in users] + ([ADMIN] if admin else [])
        for email in people:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(timeout * 1000)
            pages[email] = page

        def nav(page, title: str) -> None:  # noqa: ANN001
            page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()

        def sign_in(page, email: str) -> None:  # noqa: ANN001
            page.goto(url)
            page.get_by_label("Work email").fill(email)
            page.locator(".st-key-sign_in_password input").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_test_id("stSidebarNav")).to_be_visible()

        def clean(page) -> None:  # noqa: ANN001
            expect(page.get_by_test_id("stAlertContentError")).to_have_count(0, timeout=1)
            expect(page.get_by_test_id("stException")).to_have_count(0, timeout=1)

        signed: set[str] = set()
        for email, page in pages.items():
            if results.timed("sign in", email, lambda p=page, e=email: sign_in(p, e)):
                signed.add(email)
        mentees = [u["email"] for u in users if u["email"] in signed]

        def my_pair(page) -> None:  # noqa: ANN001
            nav(page, "My pair")
            expect(page.get_by_text("Your mentor:")).to_be_visible()

        def log_session(page, marker: str) -> None:  # noqa: ANN001
            page.get_by_role("tab", name="Session log").click()
            box = page.get_by_label("Shared takeaways (your partner sees these)")
            expect(box).to_have_count(1)
            box.fill(marker)
            page.get_by_role("button", name="Save session").click()
            expect(page.get_by_text("Session saved.")).to_be_visible()
            clean(page)

        def check_in(page) -> None:  # noqa: ANN001
            page.get_by_role("tab", name="Check-ins").click()
            button = page.get_by_role("button", name="Submit check-in")
            expect(button).to_have_count(1)
            button.click()
            expect(page.get_by_text("Start check-in saved. Thank you!")).to_be_visible()
            clean(page)

        def dashboard(page) -> None:  # noqa: ANN001
            nav(page, "Dashboard")
            expect(page.get_by_role("heading", name="Dashboard · Load pilot")).to_be_visible()
            expect(page.get_by_test_id("stMetric").first).to_be_visible()

        def matching(page) -> None:  # noqa: ANN001
            nav(page, "Matching")
            page.get_by_role("button", name="Run matching").click()
            expect(page.get_by_text("pairs suggested", exact=False)).to_be_visible()
            clean(page)

        if admin and ADMIN in signed:
            results.timed("open dashboard", ADMIN, lambda: dashboard(pages[ADMIN]))
        for email in mentees:
            if time.monotonic() < deadline:
                results.timed("open My pair", email, lambda p=pages[email]: my_pair(p))
        for email in mentees:
            marker = f"load {run} {email}"
            if time.monotonic() < deadline and results.timed(
                "log a session", email, lambda p=pages[email], m=marker: log_session(p, m)
            ):
                with results.lock:
                    results.told_session[email] = marker
        if admin and ADMIN in signed and time.monotonic() < deadline:
            if results.timed("run matching", ADMIN, lambda: matching(pages[ADMIN])):
                results.told_matching = True
        for email in mentees:
            if time.monotonic() < deadline and results.timed(
                "submit check-in", email, lambda p=pages[email]: check_in(p)
            ):
                with results.lock:
                    results.told_checkin.add(email)
        # Held: still connected at the end (the app answers in the page, no connection error).
        for email in signed:
            page = pages[email]
            try:
                expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=5000)
                expect(page.get_by_text("Connection error")).to_have_count(0, timeout=1000)
                server = next(
                    (c["value"] for c in page.context.cookies() if c["name"] == "SERVERID"), "-"
                )
                with results.lock:
                    results.held += 1
                    results.servers[server] += 1
            except Exception as exc:  # noqa: BLE001
                with results.lock:
                    results.errors.append(f"held ({email}): {type(exc).__name__}")
        browser.close()


def compare(db_url: str, world: dict, run: str, results: Results) -> dict:
    """What the database holds against what the pages said."""
    engine = create_engine(db_url)
    lost = duplicated = unconfirmed = 0
    with engine.connect() as conn:
        for user in world["users"]:
            marker = f"load {run} {user['email']}"
            kept = conn.execute(
                text("SELECT count(*) FROM mentoringsession WHERE takeaways = :m"), {"m": marker}
            ).scalar_one()
            told = user["email"] in results.told_session
            lost += told and kept == 0
            duplicated += max(kept - 1, 0)
            unconfirmed += (not told) and kept > 0
            checkins = conn.execute(
                text("SELECT count(*) FROM checkin WHERE person_id = :p AND phase = 'start'"),
                {"p": user["person_id"]},
            ).scalar_one()
            told_c = user["email"] in results.told_checkin
            lost += told_c and checkins == 0
            duplicated += max(checkins - 1, 0)
            unconfirmed += (not told_c) and checkins > 0
        runs = conn.execute(text("SELECT count(*) FROM matchrun")).scalar_one()
        lost += results.told_matching and runs == 0
        duplicated += max(runs - 1, 0)
        unconfirmed += (not results.told_matching) and runs > 0
        empty = conn.execute(
            text("SELECT count(*) FROM mentoringsession WHERE takeaways = ''")
        ).scalar_one()
    engine.dispose()
    return {"lost": lost, "duplicated": duplicated + empty, "unconfirmed": unconfirmed}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10, help="concurrent browser sessions")
    parser.add_argument("--setup", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--browsers", type=int, default=5, help="browser processes (threads)")
    parser.add_argument("--port", type=int, default=8650)
    parser.add_argument("--step-timeout", type=float, default=60.0, help="seconds per step")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="for the whole run")
    args = parser.parse_args(argv)
    if args.sessions < 2 or args.sessions > 60:
        parser.error("--sessions: 2 to 60 (one is the admin, the others mentees)")
    if args.setup == "postgres":
        admin_url = os.environ.get("ADMIN_DATABASE_URL") or os.environ.get("TEST_POSTGRES_URL")
        if not admin_url:
            parser.error("--setup postgres needs ADMIN_DATABASE_URL or TEST_POSTGRES_URL")
        setup = TwoServers(args.port, admin_url)
    else:
        setup = SqliteServer(args.port)
    mentees = args.sessions - 1
    world = seed(setup.db_url, mentees)
    setup.start()
    results = Results()
    run = secrets.token_hex(3)
    t0 = time.monotonic()
    deadline = t0 + args.max_seconds
    try:
        workers = max(1, min(args.browsers, args.sessions))
        shares = [world["users"][i::workers] for i in range(workers)]
        threads = [
            threading.Thread(
                target=_journeys,
                args=(setup.url, share, i == 0, run, args.step_timeout, results, deadline),
                daemon=True,
            )
            for i, share in enumerate(shares)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(1.0, deadline - time.monotonic() + 120))
        elapsed = time.monotonic() - t0
        writes = compare(setup.db_url, world, run, results)
    finally:
        setup.stop()
    label = "one server, SQLite" if args.setup == "sqlite" else "two servers + HAProxy, PostgreSQL"
    print(f"{args.sessions} sessions ({mentees} mentees + 1 admin), {label}, "
          f"{workers} browsers, {elapsed:.0f} s")  # fmt: skip
    served = ", ".join(f"{k} {v}" for k, v in sorted(results.servers.items()))
    print(f"sessions held: {results.held} of {args.sessions} (by server: {served})")
    print(f"{'step':18} {'n':>4} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    summary = {"sessions": args.sessions, "setup": args.setup, "held": results.held,
               "servers": dict(results.servers),
               "steps": {}, "errors": list(results.errors), **writes, "seconds": elapsed}  # fmt: skip
    for step in STEPS:
        values = results.timings.get(step, [])
        if values:
            p50, p95 = statistics.median(values), percentile(values, 0.95)
            print(f"{step:18} {len(values):4} {p50:7.2f} {p95:7.2f} {max(values):7.2f}")
            summary["steps"][step] = {"n": len(values), "p50": p50, "p95": p95}
    print(f"errors: {len(results.errors)}")
    for line in results.errors[:20]:
        print(f"  {line}")
    print(f"lost writes: {writes['lost']}, duplicated writes: {writes['duplicated']}, "
          f"written but not confirmed: {writes['unconfirmed']}")  # fmt: skip
    return summary


if __name__ == "__main__":
    main()
