"""Smoke test of ``python -m benchmarks``: every part runs on tiny sizes against a Synapse of its
own, and results.json has exactly the keys issue 12 lists. Nothing here depends on how fast
the machine is: only completeness, correctness counts and the file's shape are checked."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from benchmarks.__main__ import TINY, run_all
from benchmarks.common import quantile, quantile_ci, ratio_ci, toml_text
from benchmarks.report import Results, table, to_json

pytestmark = pytest.mark.integration

# Issue 12, written out here on purpose: the schema must not follow the code silently.
SCHEMA: dict[str, Any] = {
    "roundtrip": {
        "echo": {"p50_ms", "p95_ms"},
        "help": {"p50_ms", "p95_ms"},
        "ask": {"p50_ms", "p95_ms"},
        "register": {"p50_ms", "p95_ms"},
        "ratio": {"help", "ask", "register"},
    },
    "burst": {"n", "seconds", "echo_seconds", "ratio", "registered", "waitlisted", "replies"},
    "reminders": {"n", "delivered", "duplicates", "lateness_p50_ms", "lateness_p95_ms"},
    "ask": {"entries", "p50_ms", "p95_ms"},
    "recovery": {"outage_s", "bot_s", "echo_s"},
    "footprint": {"rss_mb", "first_command_s"},
}


def leaves(data: dict[str, Any], schema: dict[str, Any], path: str = "") -> dict[str, Any]:
    """Check the nesting against SCHEMA and return {dotted key: value}."""
    assert set(data) == set(schema), f"{path or 'top'}: {sorted(data)} != {sorted(schema)}"
    out: dict[str, Any] = {}
    for key, sub in schema.items():
        if isinstance(sub, dict):
            out |= leaves(data[key], sub, f"{path}{key}.")
        else:
            assert set(data[key]) == sub, f"{path}{key}: {sorted(data[key])} != {sorted(sub)}"
            out |= {f"{path}{key}.{k}": v for k, v in data[key].items()}
    return out


def test_empty_results_have_every_key_as_null() -> None:
    values = leaves(to_json(Results(mode="none")), SCHEMA)
    assert all(v is None for v in values.values())
    assert "not available" in table(Results(mode="none"))


def test_statistics() -> None:
    values = [float(v) for v in range(1, 101)]
    assert quantile(values, 0.5) == pytest.approx(50.5)
    assert quantile(values, 0.95) == pytest.approx(95.05)
    lo, hi = quantile_ci(values, 0.5)
    assert lo < 50.5 < hi and hi - lo < 25
    lo, hi = ratio_ci([2 * v for v in values], values)
    assert lo <= 2.0 <= hi
    assert math.isfinite(lo) and math.isfinite(hi)


def test_toml_text_reads_back() -> None:
    import tomllib

    data = {"a": {"s": 'quote " and ü', "n": 3, "f": 1.5, "l": ["x", "y"], "b": True}}
    data["a"]["events"] = [{"key": "k", "capacity": 2}]  # type: ignore[assignment]
    assert tomllib.loads(toml_text(data)) == data


def test_benchmark_runs_on_tiny_sizes(tmp_path: Path) -> None:
    results = run_all(TINY, "tiny", tmp_path)
    failed = {k: v for k, v in results.missing.items() if not v.startswith("not available")}
    assert not failed, failed

    data = json.loads((tmp_path / "results.json").read_text())
    values = leaves(data, SCHEMA)
    for key, value in values.items():
        assert value is None or isinstance(value, int | float), (key, value)
    # Always there: round trip of !hilfe and !frage against the echo bot, ask, recovery,
    # footprint. A null anywhere else must be a part reported as not available.
    always = [k for k in values if not k.startswith(("burst.", "reminders.", "roundtrip.reg"))]
    always = [k for k in always if k != "roundtrip.ratio.register"]
    assert all(values[k] is not None for k in always), {k: values[k] for k in always}
    for kind in ("echo", "help", "ask"):
        assert len((results.roundtrip or {})[kind]) == TINY.roundtrip_samples

    if results.burst is not None:
        b, c = results.burst, results.burst.counted
        assert (c.registered, c.waitlisted) == (TINY.burst_capacity, b.n - TINY.burst_capacity)
        assert c.replies == b.n == TINY.burst_members
        assert c.echo_replies == b.n
    else:
        assert results.missing["burst"].startswith("not available")
    if results.reminders is not None:
        assert results.reminders.delivered == TINY.reminders
        assert results.reminders.duplicates == 0
    else:
        assert results.missing["reminders"].startswith("not available")
    if data["roundtrip"]["register"]["p50_ms"] is None:
        assert results.missing["register"].startswith("not available")
    assert results.footprint is not None
    assert results.footprint.rooms == TINY.footprint_rooms


def test_a_repeated_burst_reports_the_median_ratio_and_any_wrong_count() -> None:
    from benchmarks.burst_register import Burst, Round

    good = [Round(9.0, 10.0, 3, 2, 5, 5), Round(14.0, 10.0, 3, 2, 5, 5)]
    wrong = Round(10.0, 8.0, 3, 2, 4, 5)  # one reply missing
    burst = Burst(5, 3, 2, (good[0], wrong, good[1]))
    assert burst.ratio == 1.25 and burst.seconds == 10.0 and burst.echo_seconds == 10.0
    assert burst.counted.replies == 4  # the wrong round is the one reported
    assert Burst(5, 3, 2, tuple(good)).counted.replies == 5


def test_reply_cost_measures_every_kind_of_content() -> None:
    from benchmarks import reply_cost

    times = reply_cost.main(rounds=2)
    assert set(times) == set(reply_cost.contents("$x", "@m:x"))
    assert all(len(v) == 2 and all(t > 0 for t in v) for v in times.values())
