"""The pilot dashboard and its published results, without any UI.

- frames: `DashboardFilters`, `load_frames` (admins only, a dozen bulk queries), `PilotFrames`
  and the shared definitions of a matched, accepted and completed pair.
- funnel, supply_demand, quality, momentum, learning, satisfaction, reach, commitment: pure
  functions from the frames to one DataFrame each; datasets: `compute_dashboard`, all of them.
- privacy: small groups hidden from every breakdown.
- metrics: the success-criteria catalogue (`METRICS`, `DEFAULT_CRITERIA`), without pandas;
  kpis: `compute_kpis`, the tiles measured from the frames.
- charts: one Altair chart per dataset.
- report: the results as self-contained HTML and as PDF; letters: mentors' recognition letters;
  exports: pairs, sessions and check-ins as CSV or XLSX.

Nothing is imported here, so `from core.dashboard.metrics import METRICS` stays cheap.
"""
