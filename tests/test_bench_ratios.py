"""`scripts/bench --repeat`: each trial's ratios, then median and range over the trials (no timing
is asserted here, only the arithmetic and the render of what the bench measured)."""

from __future__ import annotations

from benchmarks import bench
from benchmarks.measure import Measured


def _m(seconds: float, cpu: float) -> Measured:
    return Measured(seconds, 0, 100.0, 100.0, cpu, "", "")


def test_ratios_put_the_slower_run_over_the_faster() -> None:
    runs = {"a_stock": _m(40, 38), "b_floor": _m(12, 20), "b2_floor_alloc": _m(11, 18), "c_redactgate": _m(16, 30),
            "c0_baseline": _m(20, 36)}
    ratios = bench._ratios(runs)
    assert ratios["a/c"] == 40 / 16 and ratios["cpu a/c"] == 38 / 30
    assert ratios["c/b"] == 12 / 16 and ratios["cpu c/b"] == 20 / 30  # our speed over the floor's
    assert ratios["c/b2"] == 11 / 16 and ratios["cpu c/b2"] == 18 / 30  # ... over the floor with our allocator settings
    assert ratios["c0/c"] == 20 / 16 and ratios["a/c0"] == 2.0 and ratios["c0/b"] == 12 / 20


def test_spread_reports_median_and_range_over_trials() -> None:
    assert bench._spread([1.0, 3.0, 2.0]) == {"median": 2.0, "min": 1.0, "max": 3.0, "n": 3}
    assert bench._median_row([{"seconds": 3.0, "cpu_s": 1.0}, {"seconds": 1.0, "cpu_s": 5.0},
                              {"seconds": 2.0, "cpu_s": 2.0}]) == {"seconds": 2.0, "cpu_s": 2.0}


def test_trials_interleave_a_b_b2_c_c0(tmp_path, monkeypatch) -> None:
    """One trial runs a, b, b2, c, then c0: repeats alternate between the programs, never N of one first."""
    order: list[str] = []

    def fake_run_py(args: list[str], src=None) -> Measured:
        floor = "b2" if "--alloc" in args else "b"
        order.append("c0" if src else {"benchmarks.stock": "a", "benchmarks.floor": floor}.get(args[1], "c"))
        stdout = '{"process_s": 1.0, "findings": {}, "seconds": 1.0}'
        return Measured(2.0, 0, 1.0, 1.0, 2.0, stdout, "")

    monkeypatch.setattr(bench, "run_py", fake_run_py)
    (tmp_path / "doc.txt").write_text("x" * 100)
    for _ in range(2):
        bench.trial(tmp_path, tmp_path, 2, 2, tmp_path / "other")
    assert order == ["a", "b", "b2", "c", "c0", "a", "b", "b2", "c", "c0"]


def test_config_reaches_c_and_c0_only(tmp_path, monkeypatch) -> None:
    """`--config FILE` is given to redactgate's runs (c, c0), never to stock Presidio or the floor."""
    calls: list[list[str]] = []

    def fake_run_py(args: list[str], src=None) -> Measured:
        calls.append(args)
        return Measured(2.0, 0, 1.0, 1.0, 2.0, '{"process_s": 1.0, "findings": {}, "seconds": 1.0}', "")

    monkeypatch.setattr(bench, "run_py", fake_run_py)
    (tmp_path / "doc.txt").write_text("x" * 100)
    config = tmp_path / "fast.toml"
    bench.trial(tmp_path, tmp_path, 2, 2, tmp_path / "other", config)
    with_config = [args[1] for args in calls if "--config" in args and args[args.index("--config") + 1] == str(config)]
    assert with_config == ["redactgate", "redactgate"] and len(calls) == 5


def test_stock_coverage_tells_partly_masked_from_untouched(tmp_path) -> None:
    import json

    from benchmarks.compare import coverage

    masked = [(0, 5), (10, 14), (14, 20), (30, 32)]
    (tmp_path / "audit.jsonl").write_text("\n".join(
        json.dumps({"type": "finding", "path": "a.txt", "start": s, "end": e}) for s, e in masked) + "\n")
    stock = {"a.txt": [(0, 5, "PERSON"), (11, 20, "PERSON"), (3, 8, "PERSON"), (6, 9, "PERSON"),
                       (20, 30, "PHONE_NUMBER"), (29, 31, "PHONE_NUMBER"), (0, 5, "LOCATION")],
             "b.txt": [(0, 3, "PERSON")]}
    result = coverage(stock, tmp_path / "audit.jsonl")
    assert (result["stock_spans"], result["covered"]) == (7, 2)  # LOCATION is not a default entity
    assert result["missed_by_entity"] == {"PERSON": 3, "PHONE_NUMBER": 2}
    assert result["untouched_by_entity"] == {"PERSON": 2, "PHONE_NUMBER": 1}
