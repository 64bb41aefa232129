"""Running a pilot once pairs exist: milestones, the session log, pulses, check-ins, at-risk
pairs, calendars and the progress overview (pausing and ending a pair live in core.pairs.exit).

Every function that takes the acting user checks them before it reads anything: pair-level reads
go through `core.pairs.access.membership` (members only), pilot-level reports through
`require_pilot_admin`. The few readers without an actor (`completed_phases`, `overdue_by_pair`,
`goal_topics`, the orientation gate) serve services that have checked, or matching and the
dashboard, and return no private text. Private notes are only ever read with the actor's own
person id in the WHERE clause (deleting a session deletes every note on it).
"""
