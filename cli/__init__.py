"""The command line (app.py): each subcommand in its own module."""
