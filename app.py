"""workshopbot command line: serve, event load|list, db upgrade, rehearse, export (see --help)."""

from __future__ import annotations

import gc
import sys

# Starting makes ~100,000 objects that live as long as the process (modules, classes, the pydantic
# and SQLAlchemy models); the collector's passes over them while they are made find nothing and
# cost ~0.1 s. cli.main turns collection back on once the command is known.
gc.disable()
from cli.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
