"""A counter per pilot that every write bumps inside its own transaction (`on_write`), read
with one indexed SELECT (`data_version`), so that page caches keyed by (pilot, version) are
never stale after a write and never shared between pilots."""
