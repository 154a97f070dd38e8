"""workshopbot command line: serve, event load|list, db upgrade, rehearse, export (see --help)."""

from __future__ import annotations

import sys

from cli.main import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
