"""One run of the README's first command (the sample event, every synthetic participant), shared
by the tests that read what it printed and the page it wrote."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT


@dataclass(frozen=True)
class SampleRun:
    stdout: str
    out: Path
    stderr: str = ""

    @property
    def page(self) -> Path:
        return self.out / "index.html"


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> SampleRun:
    out = tmp_path_factory.mktemp("rehearsal-out")
    result = subprocess.run(
        [sys.executable, "app.py", "rehearse", str(EXAMPLE), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return SampleRun(result.stdout, out, result.stderr)
