"""What a rehearsal leaves behind with `--out DIR`: every file the bot uploaded, and any other
file a phase adds (e-mails, calendars, pages), so a coordinator can open them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rehearsal.standin.server import SlackStandIn

_UNSAFE = re.compile(r"[^\w.\-]+")


def safe_name(name: str) -> str:
    """A file name that stays inside DIR, whatever a title or filename said."""
    cleaned = _UNSAFE.sub("_", name.replace("..", "_")).strip("._")
    return cleaned or "fil"


@dataclass
class Artifacts:
    """Files collected during a run: relative path -> bytes."""

    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, relative: str, content: bytes) -> str:
        """Keep a file under `relative` (a/b.txt); a taken name gets a number."""
        parts = [safe_name(part) for part in relative.split("/") if part]
        path = "/".join(parts)
        stem, dot, suffix = path.rpartition(".")
        candidate, n = path, 1
        while candidate in self.files:
            n += 1
            candidate = f"{stem}-{n}.{suffix}" if dot else f"{path}-{n}"
        self.files[candidate] = content
        return candidate

    def add_uploads(self, slack: SlackStandIn, names: dict[str, str] | None = None) -> None:
        """Every completed upload, under uploads/<recipient>/<filename>."""
        for shared in slack.shared_files:
            content = slack.uploads.get(shared.file_id)
            if content is None:
                continue
            recipient = (names or {}).get(shared.channel, shared.channel) or "okand"
            self.add(f"uploads/{recipient}/{shared.filename}", content)

    def write(self, out_dir: Path) -> list[Path]:
        """Write every file below out_dir; returns the paths written."""
        written = []
        for relative, content in sorted(self.files.items()):
            path = out_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            written.append(path)
        return written
