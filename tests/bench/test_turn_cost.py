"""``bench.turn_cost``: the first request of a turn before and after, measured not assumed."""

from __future__ import annotations

import json

from agent.tools import build_registry
from bench import turn_cost


def test_before_is_every_tool_uncompacted_and_after_is_within_the_budget(capsys):
    results = turn_cost.main([])
    out = capsys.readouterr().out
    assert json.loads(out.strip().splitlines()[-1])["bench"] == "turn_cost"
    assert "before (39 tools, old)" in out
    before = results["before"]
    assert before["tools"] == len(build_registry())
    assert before["tool_chars"] == len(json.dumps(turn_cost.old_schemas()))
    for key in ("after_default_context", "after_large_context"):
        after = results[key]
        assert 0 < after["tool_chars"] <= 10_000
        assert after["prompt_tokens"] < before["prompt_tokens"]
        assert after["cost_per_turn_usd"] == 2 * after["cost_per_request_usd"]
    assert results["after_default_context"]["prompt_tokens"] < 4096


def test_the_backtest_bench_prints_an_error_per_currency():
    from bench.backtest import measure

    result = measure("small", 7)
    assert result["forecast_records"] > 0
    assert result["currencies"]
    for figures in result["currencies"].values():
        assert (
            figures["sentence"].endswith("of what came in.") or "Not enough" in figures["sentence"]
        )
        assert figures["error"] is None or figures["error"] >= 0
