"""The admin's "Matching" page: the optimiser's settings and run, coverage, the review table."""
