"""The pilot dashboard and its published results, without any UI.

- datasets: `DashboardFilters`, `load_frames` (admins only, a dozen bulk queries) and
  `compute_dashboard`; the shared definitions of a matched, accepted and completed pair.
- funnel, supply_demand, quality, momentum, learning, satisfaction, reach, commitment: pure
  functions from the frames to one DataFrame each.
- privacy: small groups hidden from every breakdown.
- kpis: the success-criteria catalogue (`METRICS`, `DEFAULT_CRITERIA`) and `compute_kpis`.
- charts: one Altair chart per dataset.
- report: the results as self-contained HTML and as PDF; letters: mentors' recognition letters;
  exports: pairs, sessions and check-ins as CSV or XLSX.

Nothing is imported here, so `from core.dashboard.kpis import METRICS` stays cheap.
"""
