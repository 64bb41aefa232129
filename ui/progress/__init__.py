"""The admin's "Pilot progress" page, one module per tab."""
