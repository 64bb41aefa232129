"""How a status looks: Material icons in the theme's colours, never emoji, which show as empty
boxes where no emoji font is installed. Every mark sits next to words that say the same, so
colour and shape are never the only carrier (WCAG 1.4.1)."""

from __future__ import annotations

# For the `icon=` of st.success, st.button and the like.
MET_ICON = ":material/check_circle:"
# For Markdown: labels, st.write, st.markdown.
MET = f":green[{MET_ICON}]"
NOT_MET = ":orange[:material/warning:]"
UPCOMING = ":blue[:material/schedule:]"
