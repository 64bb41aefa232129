"""The two-server set-up of deploy/ (HAProxy, two streamlit servers, one PostgreSQL database)
with a few concurrent browser sessions doing real journeys: nothing written may be lost or
doubled, and both servers must have served someone."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

pytestmark = [pytest.mark.deploy, pytest.mark.browser]


def _free_port_pair() -> int:
    """A port whose next two are free too (the balancer, then its two servers)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port > 65000:
            continue
        try:
            for offset in (1, 2):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port + offset))
        except OSError:
            continue
        return port
    raise RuntimeError("no three consecutive free ports")


@pytest.mark.skipif(
    shutil.which("haproxy") is None and not Path("/usr/sbin/haproxy").exists(),
    reason="haproxy is not installed (.ci/run installs Debian's package)",
)
def test_three_sessions_through_the_balancer_lose_nothing():
    if not os.environ.get("TEST_POSTGRES_URL"):
        pytest.skip("TEST_POSTGRES_URL is not set (see .ci/run)")
    from bench.load import main

    summary = main(
        ["--sessions", "3", "--setup", "postgres", "--browsers", "2",
         "--port", str(_free_port_pair()), "--step-timeout", "60", "--max-seconds", "300"]
    )  # fmt: skip
    assert summary["errors"] == []
    assert summary["held"] == 3
    assert (summary["lost"], summary["duplicated"], summary["unconfirmed"]) == (0, 0, 0)
    assert set(summary["servers"]) == {"s1", "s2"}, summary["servers"]
    for step in ("sign in", "open My pair", "log a session", "submit check-in", "run matching"):
        assert summary["steps"][step]["n"] >= 1, step
