"""What a benchmark run found: the table, ``results.json`` (the issue's keys, numbers or null
for a part that is not available) and the chart of the round-trip distributions."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.answer_latency import AskLatency
from benchmarks.burst_register import Burst
from benchmarks.common import quantile, quantile_ci, ratio_ci
from benchmarks.footprint import Footprint
from benchmarks.recovery import Recovery
from benchmarks.reminder_lateness import Lateness

log = logging.getLogger("benchmarks")

COMMANDS = {"echo": "!ping (echo)", "help": "!hilfe", "ask": "!frage", "register": "!anmelden"}
RATIO_TARGETS = {"help": 1.05, "ask": 1.05, "register": 1.15}
NOT_AVAILABLE = "not available"


@dataclass
class Results:
    mode: str
    roundtrip: dict[str, list[float]] | None = None  # kind -> seconds
    burst: Burst | None = None
    reminders: Lateness | None = None
    ask: AskLatency | None = None
    recovery: Recovery | None = None
    footprint: Footprint | None = None
    # Why a section has no numbers: "not available (...)" or the error it failed with.
    missing: dict[str, str] = field(default_factory=dict)

    def ms(self, kind: str) -> list[float] | None:
        samples = (self.roundtrip or {}).get(kind)
        return [s * 1000 for s in samples] if samples else None


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def to_json(r: Results) -> dict[str, Any]:
    """Exactly the keys issue 12 lists; null where a part is not available."""
    roundtrip: dict[str, Any] = {}
    for kind in ("echo", "help", "ask", "register"):
        ms = r.ms(kind)
        roundtrip[kind] = {
            "p50_ms": _r(quantile(ms, 0.5)) if ms else None,
            "p95_ms": _r(quantile(ms, 0.95)) if ms else None,
        }
    echo = r.ms("echo")
    roundtrip["ratio"] = {
        kind: _r(quantile(ms, 0.5) / quantile(echo, 0.5), 3)
        if (ms := r.ms(kind)) and echo
        else None
        for kind in ("help", "ask", "register")
    }
    b, m, a, rec, f = r.burst, r.reminders, r.ask, r.recovery, r.footprint
    return {
        "roundtrip": roundtrip,
        "burst": {
            "n": b.n if b else None,
            "seconds": _r(b.seconds) if b else None,
            "echo_seconds": _r(b.echo_seconds) if b else None,
            "ratio": _r(b.ratio, 3) if b else None,
            "registered": b.counted.registered if b else None,
            "waitlisted": b.counted.waitlisted if b else None,
            "replies": b.counted.replies if b else None,
        },
        "reminders": {
            "n": m.n if m else None,
            "delivered": m.delivered if m else None,
            "duplicates": m.duplicates if m else None,
            "lateness_p50_ms": _r(m.p50_ms) if m and m.p50_ms is not None else None,
            "lateness_p95_ms": _r(m.p95_ms) if m and m.p95_ms is not None else None,
        },
        "ask": {
            "entries": a.entries if a else None,
            "p50_ms": _r(a.p50_ms, 3) if a else None,
            "p95_ms": _r(a.p95_ms, 3) if a else None,
        },
        "recovery": {
            "outage_s": _r(rec.outage_s) if rec else None,
            "bot_s": _r(rec.bot_s) if rec else None,
            "echo_s": _r(rec.echo_s) if rec else None,
        },
        "footprint": {
            "rss_mb": _r(f.rss_mb, 1) if f else None,
            "first_command_s": _r(f.first_command_s) if f else None,
        },
    }


def write_json(r: Results, path: Path) -> None:
    path.write_text(json.dumps(to_json(r), indent=2) + "\n")


# --------------------------------------------------------------------------- table


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "MISSED")


def _sec(value: float | None) -> str:
    return "no answer" if value is None else f"{value:.2f} s"


def table(r: Results) -> str:
    rows: list[tuple[str, str, str, str, str, str]] = []

    def row(section: str, what: str, value: str, ci: str = "", target: str = "", ok=None) -> None:
        rows.append((section, what, value, ci, target, _verdict(ok)))

    def gap(section: str) -> None:
        row(section, r.missing.get(section, NOT_AVAILABLE), "")

    echo = r.ms("echo")
    if r.roundtrip is None:
        gap("round trip")
    for kind, label in COMMANDS.items():
        ms = r.ms(kind)
        if r.roundtrip is None:
            break
        if not ms:
            row("round trip", label, r.missing.get("register", NOT_AVAILABLE))
            continue
        lo50, hi50 = quantile_ci(ms, 0.5)
        lo95, hi95 = quantile_ci(ms, 0.95)
        row(
            "round trip",
            f"{label} p50 / p95 (n={len(ms)})",
            f"{quantile(ms, 0.5):.1f} / {quantile(ms, 0.95):.1f} ms",
            f"[{lo50:.1f}, {hi50:.1f}] / [{lo95:.1f}, {hi95:.1f}]",
        )
    for kind, limit in RATIO_TARGETS.items():
        ms = r.ms(kind)
        if ms and echo:
            ratio = quantile(ms, 0.5) / quantile(echo, 0.5)
            lo, hi = ratio_ci(ms, echo)
            row(
                "round trip",
                f"ratio {COMMANDS[kind]} / echo (p50)",
                f"{ratio:.3f}",
                f"[{lo:.3f}, {hi:.3f}]",
                f"<= {limit}",
                ratio <= limit,
            )

    b = r.burst
    if b is None:
        gap("burst")
    else:
        c = b.counted
        ok = c.registered == b.capacity and c.waitlisted == b.n - b.capacity
        row("burst", f"{b.n} x !anmelden, {b.rooms} rooms (median)", f"{b.seconds:.2f} s")
        row("burst", f"{b.n} x !ping (echo, median)", f"{b.echo_seconds:.2f} s")
        each = ", ".join(f"{x.ratio:.2f}" for x in b.rounds)
        rounds = f"ratio (median of {len(b.rounds)})"
        row("burst", rounds, f"{b.ratio:.3f}", each, "<= 1.0", b.ratio <= 1.0)
        row(
            "burst",
            "registered / waiting / replies",
            f"{c.registered} / {c.waitlisted} / {c.replies}",
            f"echo replies {c.echo_replies}",
            f"{b.capacity} / {b.n - b.capacity} / {b.n}",
            ok and c.replies == b.n,
        )

    m = r.reminders
    if m is None:
        gap("reminders")
    else:
        row(
            "reminders",
            f"{m.n} due within {m.window_s:.0f} s, {m.rooms} rooms",
            f"{m.delivered} delivered, {m.duplicates} duplicates",
            "",
            f"{m.n}, 0",
            m.delivered == m.n and m.duplicates == 0,
        )
        if m.p50_ms is not None and m.p95_ms is not None:
            row(
                "reminders",
                "lateness p50 / p95",
                f"{m.p50_ms:.0f} / {m.p95_ms:.0f} ms",
                "",
                "p95 <= 2000 ms",
                m.p95_ms <= 2000,
            )

    a = r.ask
    if a is None:
        gap("ask")
    else:
        row(
            "ask",
            f"{a.questions} questions, {a.entries} entries: p50 / p95",
            f"{a.p50_ms:.2f} / {a.p95_ms:.2f} ms",
            "",
            "p95 <= 10 ms",
            a.p95_ms <= 10,
        )

    rec = r.recovery
    if rec is None:
        gap("recovery")
    else:
        ok = rec.bot_s is not None and rec.bot_s <= 10
        row(
            "recovery",
            f"ViR-Bot, after {rec.outage_s:.0f} s outage",
            _sec(rec.bot_s),
            "",
            "<= 10 s",
            ok,
        )
        row("recovery", "echo bot", _sec(rec.echo_s))

    f = r.footprint
    if f is None:
        gap("footprint")
    else:
        state = f"{f.rooms} rooms, {f.registrations} registrations, {f.reminders} reminders"
        row(
            "footprint",
            f"peak RSS ({state})",
            f"{f.rss_mb:.0f} MB",
            f"now {f.rss_now_mb:.0f} MB",
            "<= 150 MB",
            f.rss_mb <= 150,
        )
        row(
            "footprint",
            "process start to first reply",
            f"{f.first_command_s:.2f} s",
            "",
            "<= 5 s",
            f.first_command_s <= 5,
        )

    head = ("section", "measure", "value", "95 % interval", "target", "")
    widths = [max(len(x[i]) for x in [head, *rows]) for i in range(6)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(head, widths, strict=True)).rstrip()]
    lines.append("-" * len(lines[0]))
    last = ""
    for cells in rows:
        shown = ("" if cells[0] == last else cells[0], *cells[1:])
        last = cells[0]
        lines.append("  ".join(c.ljust(w) for c, w in zip(shown, widths, strict=True)).rstrip())
    return "\n".join(lines)


# --------------------------------------------------------------------------- chart


def chart(r: Results, path: Path) -> str | None:
    """The round-trip distributions as a PNG; None (and why) if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "no chart: matplotlib is not installed (pip install -e '.[bench]')"
    kinds = [k for k in COMMANDS if r.ms(k)]
    if not kinds:
        return "no chart: no round-trip samples"
    data = [r.ms(k) or [] for k in kinds]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    ax.violinplot(data, showmedians=True, quantiles=[[0.95] for _ in data])
    ax.set_xticks(
        range(1, len(kinds) + 1),
        [f"{COMMANDS[k]}\nn={len(d)}" for k, d in zip(kinds, data, strict=True)],
    )
    ax.set_ylabel("round trip (ms)")
    ax.set_title(f"Round trip, member to member's client ({r.mode}); bars: min, p50, p95, max")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return None
