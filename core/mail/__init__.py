"""Outgoing email: one delivery path (SMTP, or the outbox alone) for invitations, resets and
reminders."""
