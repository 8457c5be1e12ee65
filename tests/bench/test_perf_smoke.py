"""``bench.perf`` runs end to end on a small sandbox: every metric is there (no timing checks)."""

from __future__ import annotations

import json

import pytest

from agent.tools import build_registry
from bench import perf
from bench.perf import TARGETS, floor_round_trips, main
from fbclient.catalogue import CATALOGUE

from ..support import clock

pytestmark = pytest.mark.slow

PARTS = tuple(listing.name for listing in CATALOGUE)  # every list the mirror keeps
PAGES = ("overview", "invoices", "expenses", "time", "clients_projects", "forecast", "chase")


def positive(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def test_floor_counts_round_trips_per_list_and_worker():
    # 1 + ceil(19/8) = 4 trips for the long list; the three short ones share the other workers.
    assert floor_round_trips({"a": 20, "b": 1, "c": 1, "d": 1}, concurrency=8, parallel=4) == 4
    # Two workers: after "a" (4 trips) and "b" (1 + ceil(8/8) = 2) the next list waits.
    assert floor_round_trips({"a": 20, "b": 9, "c": 30}, concurrency=8, parallel=2) == 7
    # The connection pool (2 x concurrency) bounds many short lists run side by side.
    assert floor_round_trips({str(i): 1 for i in range(40)}, concurrency=8, parallel=40) == 3
    assert floor_round_trips({}, concurrency=8, parallel=4) == 0


def test_perf_runs_on_small_and_prints_every_metric(capsys, monkeypatch):
    monkeypatch.setattr(perf, "sandbox_command", clock.sandbox_command)
    main(["--size", "small", "--latency-ms", "0", "--repeats", "1", "--sessions", "0", "--quiet"])
    results = json.loads(capsys.readouterr().out.strip().splitlines()[-1])

    assert results["bench"] == "perf"
    assert results["size"] == "small"
    full, sdk = results["full_load"], results["sdk_baseline"]
    for block in (full, sdk):
        assert positive(block["seconds"])
        assert positive(block["requests"])
        assert positive(block["records"])
    assert set(full["by_part"]) == set(PARTS)
    # The baseline fetches the very records the app loads.
    assert {k: v["records"] for k, v in sdk["by_part"].items()} == {
        k: v["records"] for k, v in full["by_part"].items()
    }
    assert full["requests"] == sum(p["requests"] for p in full["by_part"].values())
    for block in (full, sdk, results["revisit"]):
        assert block["client_cpu_s"] >= 0
        assert block["server_cpu_s"] is None or block["server_cpu_s"] >= 0
    assert positive(full["speedup_vs_sdk"])

    floor = results["floor"]
    assert positive(floor["round_trips"])
    assert floor["pages"] == full["requests"]
    assert floor["seconds"] == 0  # no latency, no floor: the ratio to it is not defined
    assert full["vs_floor"] is None

    revisit = results["revisit"]
    assert revisit["changed_records"] == 10
    assert positive(revisit["seconds"])
    # An incremental sync: the five busy lists, one page each, and it saw the changes.
    assert revisit["requests"] == 5
    assert positive(revisit["records"])
    assert positive(revisit["change_requests"])
    assert revisit["mirror"] is True
    assert revisit["new_version"] is True
    assert revisit["found"]["expenses"] >= 4
    assert revisit["found"]["clients"] >= 2
    assert revisit["found"]["time_entries removed"] == 1
    assert revisit["check"]["requests"] > revisit["requests"]
    assert positive(revisit["frames_s"])

    assert positive(results["memory"]["peak_rss_mb"])
    assert positive(results["seed_small_s"])

    dashboards = results["dashboards"]
    assert positive(dashboards["frames_s"])
    assert positive(dashboards["models_parse_s"])
    assert set(dashboards["pages"]) == set(PAGES)
    for page in dashboards["pages"].values():
        assert positive(page["insights_s"])
        assert positive(page["with_frames_s"])
    assert positive(dashboards["total_s"])
    assert positive(dashboards["max_s"])

    tools = results["tools"]
    read_tools = {t.name for t in build_registry().available(read_only=True)}
    assert tools["errors"] == []
    assert set(tools["sizes"]) == read_tools
    assert all(positive(chars) for chars in tools["sizes"].values())
    assert tools["max_chars"] == max(tools["sizes"].values())

    turn = results["turn"]
    assert turn["before"]["tools"] == len(build_registry())
    for after in (turn["after_default_context"], turn["after_large_context"]):
        assert 0 < after["tool_chars"] <= 10_000
        assert after["prompt_tokens"] < turn["before"]["prompt_tokens"]
    assert results["targets"]["request_tool_chars"]["pass"] is True

    # Two new processes: the first builds the frames and saves them, the second reads them.
    first, cold = results["open"]["first"], results["open"]["cold"]
    assert first["frames_from_file"] is False
    assert cold["frames_from_file"] is True
    assert cold["first_numbers"] == first["first_numbers"]
    assert cold["first_numbers"]  # the Overview's outstanding amount per currency
    for run in (first, cold):
        assert positive(run["open_s"])
        assert positive(run["peak_rss_mb"])
        assert run["peak_rss_mb"] >= run["rss_after_imports_mb"]
        assert set(run["pages_s"]) == set(PAGES)
        assert all(run["pages_with_frames_s"][page] >= run["pages_s"][page] for page in PAGES)
        # The long lists are never parsed into models to open the dashboards.
        assert not {"invoices", "payments", "expenses", "time_entries"} & set(run["records"])
    assert results["cold_open_s"] == cold["open_s"]
    assert set(results["before_and_now"]) == set(perf.BEFORE)

    assert set(results["targets"]) == set(TARGETS)
    for name, verdict in results["targets"].items():
        assert verdict["pass"] in (True, False, None), name
