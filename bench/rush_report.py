"""The deadline rush's figures: one row per app, the table and the verdicts against issue 9's
goals, per round and over all rounds (their medians)."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median


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
    server_ms: float | None = None  # a local PostgreSQL server's CPU ms/person, when read

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


def goals(
    *,
    rate: float,
    anmal: float,
    submit: float,
    told: float,
    statements: float,
    transactions: float,
    lost: int,
    duplicated: int,
    consistent: bool,
    worst: str = "",
) -> dict[str, bool]:
    """Issue 9's goals: ratios to the bare app, absolute figures (`worst`: how they were taken)."""
    return {
        f"throughput {rate:.2f}x >= 0.5x": rate >= 0.5,
        f"/anmal ack p99 {anmal:.2f}x <= 2x": anmal <= 2,
        f"submit ack p99 {submit:.2f}x <= 2x": submit <= 2,
        f"told {told:.2f} s{worst} <= 2 s after the last ack": told <= 2.0,
        f"{statements:.1f} statements{worst} <= 8": statements <= 8,
        f"{transactions:.2f} transactions{worst} <= 3": transactions <= 3,
        "lost = duplicated = 0": lost == 0 and duplicated == 0,
        "database consistent": consistent,
    }


def checks(r: Row, bare: Row) -> dict[str, bool]:
    """Issue 9's goals for one app against the bare app of the same round."""
    return goals(
        rate=r.rate / bare.rate,
        anmal=_p99_ratio(r.anmal_ms, bare.anmal_ms),
        submit=_p99_ratio(r.submit_ms, bare.submit_ms),
        told=r.told_after_s,
        statements=r.statements or 0.0,
        transactions=r.transactions or 0.0,
        lost=r.lost,
        duplicated=r.duplicated,
        consistent=not r.problems,
    )


def _p99_ratio(values: list[float], bare: list[float]) -> float:
    return percentile(values, 99) / percentile(bare, 99)


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
        missed = [c for c, ok in checks(r, bare).items() if not ok]
        lines.append(
            f"- {r.name}: " + ("all goals met" if not missed else "MISSED: " + "; ".join(missed))
        )
        lines.append(
            f"  Web API calls: {dict(sorted(r.calls.items()))}; modal after the /anmal ack "
            f"p50 {percentile(r.modal_ms, 50):.0f} ms (bare {percentile(bare.modal_ms, 50):.0f}),"
            f" DM after the submit ack p50 {percentile(r.dm_ms, 50):.0f} ms / p99 "
            f"{percentile(r.dm_ms, 99):.0f} (bare {percentile(bare.dm_ms, 50):.0f} / "
            f"{percentile(bare.dm_ms, 99):.0f})"
            + (f"; PostgreSQL server CPU {r.server_ms:.1f} ms/person (not in app CPU)"
               if r.server_ms is not None else "")
        )  # fmt: skip
        if r.problems:
            lines.append("  PROBLEMS: " + ", ".join(r.problems))
    return lines


def summary(rounds: list[list[Row]]) -> str:
    """Every app over all rounds, each figure against the bare app of its own round: the median
    (and the range), and the verdict on the medians. Throughput, latency and CPU move with the
    machine from one second to the next; the medians of rounds run back to back are what a rerun
    of the command reproduces."""
    lines = [
        "| app | vs bare: throughput | /anmal ack p99 | submit ack p99 "
        "| told after last ack s | app CPU ms/reg (bare) | SQL stmts/reg | transactions/reg "
        "| lost / duplicated | every goal met in |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    verdicts = []
    for index, first in enumerate(rounds[0][1:], start=1):
        pairs = [(r[index], r[0]) for r in rounds]
        rate = [a.rate / b.rate for a, b in pairs]
        anmal = [_p99_ratio(a.anmal_ms, b.anmal_ms) for a, b in pairs]
        submit = [_p99_ratio(a.submit_ms, b.submit_ms) for a, b in pairs]
        told = [a.told_after_s for a, _ in pairs]
        cpu = [a.cpu_ms / a.people for a, _ in pairs]
        bare_cpu = [b.cpu_ms / b.people for _, b in pairs]
        statements = [a.statements or 0.0 for a, _ in pairs]
        transactions = [a.transactions or 0.0 for a, _ in pairs]
        lost = sum(a.lost for a, _ in pairs)
        duplicated = sum(a.duplicated for a, _ in pairs)
        met = sum(all(checks(a, b).values()) for a, b in pairs)
        lines.append(
            f"| {first.name} | {_spread(rate, 2)}x | {_spread(anmal, 1)}x | {_spread(submit, 1)}x "
            f"| {max(told):.2f} (max) | {median(cpu):.1f} ({median(bare_cpu):.1f}) "
            f"| {max(statements):.1f} (max) | {max(transactions):.2f} (max) "
            f"| {lost} / {duplicated} | {met} of {len(pairs)} rounds |"
        )
        judged = goals(
            rate=median(rate),
            anmal=median(anmal),
            submit=median(submit),
            told=max(told),
            statements=max(statements),
            transactions=max(transactions),
            lost=lost,
            duplicated=duplicated,
            consistent=not any(a.problems for a, _ in pairs),
            worst=" (max)",
        )
        missed = [goal for goal, ok in judged.items() if not ok]
        verdicts.append(
            f"- {first.name}, on the medians of {len(pairs)} rounds (the worst of the rest): "
            + ("all goals met" if not missed else "MISSED: " + "; ".join(missed))
        )
    return "\n".join(lines + [""] + verdicts)


def _spread(values: list[float], digits: int) -> str:
    """The median, and the range when there is more than one value."""
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"
