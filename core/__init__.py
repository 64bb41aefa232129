"""Reverse-mentoring portal: the domain, free of any user interface."""
