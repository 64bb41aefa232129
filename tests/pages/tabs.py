"""Opening a tab of a page whose tabs draw only the open one (st.tabs with on_change="rerun")."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def tab_labels(at: AppTest, key: str) -> list[str]:
    """The labels of the keyed st.tabs, as drawn (some carry a count: "At risk (3)")."""
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if getattr(node, "type", "") == "tab_container" and proto.id.endswith(f"-{key}"):
            return [child.label for child in node.children.values()]
    raise KeyError(f"no tabs keyed {key!r}")


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Opens the tab whose label starts with `label`, as a click on it does, and reruns."""
    [chosen] = [t for t in tab_labels(at, key) if t.startswith(label)]
    at.session_state[key] = chosen
    return at.run()
