"""The command line, `python -m core`: one module per subcommand, shared lookups in common."""
