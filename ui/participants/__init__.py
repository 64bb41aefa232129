"""The admin's "Participants" page, one module per tab."""
