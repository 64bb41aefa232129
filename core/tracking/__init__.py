"""Running a pilot once pairs exist: milestones, the session log, pulses, check-ins, pausing and
ending, at-risk pairs, calendars and the progress overview.

Every public function checks who is acting before it reads anything: pair-level reads go through
`pairs_access.membership` (members only), pilot-level reports through `require_pilot_admin`.
Private notes are only ever selected with the actor's own person id in the WHERE clause.
"""
