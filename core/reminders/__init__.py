"""Nudges that keep pairs alive: what is due from the database (schedule), each message in its
recipient's time zone (messages, invitations), people's choices (preferences), the job that
sends each message once (job) and the admins' "Nudge both" (nudges)."""
