"""Accounts: personal invitations, sign-in (password with throttling, or single sign-on),
browser sessions behind a cookie, password change and reset."""
