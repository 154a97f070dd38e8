"""An inbox process that fails before it is ready (run as `python -m` by the health test)."""

raise SystemExit(3)
