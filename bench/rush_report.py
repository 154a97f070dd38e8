"""The deadline rush's figures: one row per app, the table and the verdicts against issue 9's
goals."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Row:
    name: str
    people: int
    seconds: float = 0.0
    anmal_ms: list[float] = field(default_factory=list)
    submit_ms: list[float] = field(default_factory=list)
    told_after_s: float = 0.0
    modal_ms: list[float] = field(default_factory=list)  # from the /anmal ack to views.open
    dm_ms: list[float] = field(default_factory=list)  # from the submit ack to the DM
    cpu_ms: float = 0.0
    statements: float | None = None
    transactions: float | None = None
    calls: dict[str, int] = field(default_factory=dict)
    lost: int = 0
    duplicated: int = 0
    problems: list[str] = field(default_factory=list)
    rss_mib: float = 0.0  # this (the app's) process after the rush
    thread_ms: dict[str, float] = field(default_factory=dict)  # CPU ms/person by thread name

    @property
    def rate(self) -> float:
        return self.people / self.seconds


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values) or [float("nan")]
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def table(rows: list[Row]) -> str:
    bare = rows[0]
    lines = [
        "| app | people/s | vs bare | /anmal ack p50 / p99 ms | submit ack p50 / p99 ms "
        "| told after last ack s | app CPU ms/reg | SQL stmts/reg | transactions/reg "
        "| Web API calls/person | lost | duplicated |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        calls = sum(n for m, n in r.calls.items() if m != "auth.test") / r.people
        lines.append(
            f"| {r.name} | {r.rate:.0f} | {r.rate / bare.rate:.2f} "
            f"| {percentile(r.anmal_ms, 50):.0f} / {percentile(r.anmal_ms, 99):.0f} "
            f"| {percentile(r.submit_ms, 50):.0f} / {percentile(r.submit_ms, 99):.0f} "
            f"| {r.told_after_s:.2f} | {r.cpu_ms / r.people:.1f} "
            f"| {'-' if r.statements is None else f'{r.statements:.1f}'} "
            f"| {'-' if r.transactions is None else f'{r.transactions:.2f}'} "
            f"| {calls:.2f} | {r.lost} | {r.duplicated} |"
        )
    return "\n".join(lines)


def verdict(rows: list[Row]) -> list[str]:
    bare = rows[0]
    lines = [
        f"- Web API calls, {bare.name}: {dict(sorted(bare.calls.items()))}",
        "- RSS of this process (it hosts each app in turn) after each rush: "
        + ", ".join(f"{r.name} {r.rss_mib:.0f} MiB" for r in rows),
        "- CPU ms/person by thread: "
        + "; ".join(
            f"{r.name}: "
            + ", ".join(f"{thread} {ms:.1f}" for thread, ms in r.thread_ms.items() if ms >= 0.05)
            + f" (sum {sum(r.thread_ms.values()):.1f} of {r.cpu_ms / r.people:.1f})"
            for r in rows
        ),
    ]
    for r in rows[1:]:
        checks = {
            f"throughput {r.rate / bare.rate:.2f}x >= 0.5x": r.rate >= bare.rate / 2,
            f"/anmal ack p99 {percentile(r.anmal_ms, 99) / percentile(bare.anmal_ms, 99):.1f}x "
            "<= 2x": percentile(r.anmal_ms, 99) <= 2 * percentile(bare.anmal_ms, 99),
            f"submit ack p99 {percentile(r.submit_ms, 99) / percentile(bare.submit_ms, 99):.1f}x "
            "<= 2x": percentile(r.submit_ms, 99) <= 2 * percentile(bare.submit_ms, 99),
            f"told {r.told_after_s:.2f} s <= 2 s after the last ack": r.told_after_s <= 2.0,
            f"{r.statements:.1f} statements <= 8": (r.statements or 0) <= 8,
            f"{r.transactions:.2f} transactions <= 3": (r.transactions or 0) <= 3,
            "lost = duplicated = 0": r.lost == 0 and r.duplicated == 0,
            "database consistent": not r.problems,
        }
        missed = [c for c, ok in checks.items() if not ok]
        lines.append(
            f"- {r.name}: " + ("all goals met" if not missed else "MISSED: " + "; ".join(missed))
        )
        lines.append(
            f"  Web API calls: {dict(sorted(r.calls.items()))}; modal after the /anmal ack "
            f"p50 {percentile(r.modal_ms, 50):.0f} ms (bare {percentile(bare.modal_ms, 50):.0f}),"
            f" DM after the submit ack p50 {percentile(r.dm_ms, 50):.0f} ms / p99 "
            f"{percentile(r.dm_ms, 99):.0f} (bare {percentile(bare.dm_ms, 50):.0f} / "
            f"{percentile(bare.dm_ms, 99):.0f})"
        )
        if r.problems:
            lines.append("  PROBLEMS: " + ", ".join(r.problems))
    return lines
