"""Whether the cookie routes of server.py serve this app.

Only then can a sign-in outlive the browser tab (not under AppTest or a bare
`streamlit run app.py`, where a sign-in lasts as long as the tab).
"""

from __future__ import annotations

import os

SERVED_WITH_ROUTES = "PORTAL_SERVED_WITH_ROUTES"


def cookie_routes_available() -> bool:
    return os.environ.get(SERVED_WITH_ROUTES) == "1"
