"""The tracking world (pairs A, B, C in a running pilot) for the reminder tests."""

from tests.builders.tracking import tracking_db_url, tracking_template, tracking_world  # noqa: F401
