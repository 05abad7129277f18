"""`scripts/bench [DIR]`: stock Presidio (a), the NER floor (b) and `redactgate redact` (c) in one run.

Each of the three runs as a fresh child process over the same folder, timed from process start to
exit (interpreter start, imports and model load included), with its peak memory. Ratios compare runs
of this same invocation only. Without DIR, a deterministic corpus is built from `examples/`: many
small documents (2-5 KB) and a few medium ones (about 50 KB), measured as two groups.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from . import corpus, measure
from .compare import coverage

KEY = "redactgate-bench-key-not-secret"
MB = 1_000_000


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTGATE_")}
    env.update(REDACTGATE_KEY=KEY, NO_COLOR="1", PYTHONPATH=str(corpus.REPO / "src"))
    return env


def run_py(args: list[str]) -> measure.Measured:
    result = measure.run([sys.executable, *args], env=child_env(), cwd=str(corpus.REPO))
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed with exit {result.returncode}:\n{result.stderr[-2000:]}")
    return result


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def redact(folder: Path, work: Path, jobs: int | None) -> tuple[measure.Measured, Path]:
    out = work / f"out-{folder.name}"
    shutil.rmtree(out, ignore_errors=True)
    extra = ["--jobs", str(jobs)] if jobs else []
    return run_py(["-m", "redactgate", "redact", str(folder), "--out", str(out), *extra]), out


def bench_folder(name: str, folder: Path, work: Path, jobs: int | None, floor_jobs: int) -> dict:
    size = folder_bytes(folder)
    print(f"[{name}] {size / MB:.2f} MB: (a) stock Presidio ...", file=sys.stderr, flush=True)
    stock = run_py(["-m", "benchmarks.stock", str(folder)])
    print(f"[{name}] (b) NER floor ...", file=sys.stderr, flush=True)
    floor = run_py(["-m", "benchmarks.floor", str(folder), str(floor_jobs)])
    print(f"[{name}] (c) redactgate redact ...", file=sys.stderr, flush=True)
    ours, out = redact(folder, work, jobs)
    rows = {label: _row(m, size) for label, m in (("a_stock", stock), ("b_floor", floor), ("c_redactgate", ours))}
    stock_json, floor_json = json.loads(stock.stdout), json.loads(floor.stdout)
    rows["a_stock"]["process_only_mb_s"] = size / MB / stock_json["process_s"]
    rows["b_floor"]["process_only_mb_s"] = size / MB / floor_json["seconds"]
    return {
        "corpus": name, "files": sum(1 for p in folder.rglob("*") if p.is_file()), "mb": size / MB, **rows,
        "ratio_a_over_c_time": ours.seconds and stock.seconds / ours.seconds,
        "ratio_c_over_b_speed": floor.seconds / ours.seconds,
        "cpu_ratio_a_over_c": stock.cpu_s / ours.cpu_s,
        "cpu_ratio_c_over_b": floor.cpu_s / ours.cpu_s,
        "detection_vs_stock": coverage(stock_json["findings"], out / ".redactgate" / "audit.jsonl"),
    }


def _row(m: measure.Measured, size: int) -> dict:
    return {"seconds": round(m.seconds, 2), "mb_s": size / MB / m.seconds, "cpu_s": round(m.cpu_s, 2),
            "tree_peak_mb": round(m.tree_peak_mb), "max_rss_mb": round(m.max_rss_mb)}


def bench_large(work: Path, sizes_mb: list[int], jobs: int | None) -> list[dict]:
    rows = []
    for size_mb in sizes_mb:
        folder = work / f"large-{size_mb}mb"
        folder.mkdir(exist_ok=True)
        corpus.write_large(folder / "large.txt", size_mb * MB)
        print(f"[large] {size_mb} MB file: redactgate redact ...", file=sys.stderr, flush=True)
        ours, out = redact(folder, work, jobs)
        rows.append({"mb": size_mb, **_row(ours, size_mb * MB), "s_per_mb": ours.seconds / size_mb})
        shutil.rmtree(folder)
        shutil.rmtree(out)
    return rows


def startup() -> dict | None:
    """The start-up benchmark another module provides (`benchmarks/startup.py`), when present."""
    try:
        module = importlib.import_module("benchmarks.startup")
    except ModuleNotFoundError:
        return None
    return module.run()


def ray_engine(folder: Path, jobs: int | None) -> dict | None:
    """`--engine ray` against the local engine on `folder` (`benchmarks/ray_engine.py`), when the
    optional extra is installed."""
    if importlib.util.find_spec("ray") is None:
        return None
    from . import ray_engine as bench_ray

    return bench_ray.run(folder, jobs or os.cpu_count() or 1)


def render(result: dict) -> str:
    lines = [f"{'corpus':<11} {'files':>5} {'MB':>6} | {'(a) stock':>10} {'(b) floor':>10} {'(c) ours':>10} MB/s "
             f"| {'a/c':>5} {'c/b':>5} | cpu a/c c/b | peak MB a/b/c (tree) | stock spans covered"]
    for r in result["runs"]:
        det = r["detection_vs_stock"]
        lines.append(
            f"{r['corpus']:<11} {r['files']:>5} {r['mb']:>6.2f} | {r['a_stock']['mb_s']:>10.3f} {r['b_floor']['mb_s']:>10.3f} "
            f"{r['c_redactgate']['mb_s']:>10.3f}      | {r['ratio_a_over_c_time']:>5.2f} {r['ratio_c_over_b_speed']:>5.2f} | "
            f"{r['cpu_ratio_a_over_c']:>5.2f} {r['cpu_ratio_c_over_b']:>5.2f} | "
            f"{r['a_stock']['tree_peak_mb']}/{r['b_floor']['tree_peak_mb']}/{r['c_redactgate']['tree_peak_mb']} "
            f"| {det['covered']}/{det['stock_spans']} ({det['share']:.4f})")
    for r in result.get("large", []):
        lines.append(f"large {r['mb']:>5} MB: {r['seconds']:.1f} s, {r['s_per_mb']:.2f} s/MB, "
                     f"peak {r['tree_peak_mb']} MB (tree), {r['max_rss_mb']} MB (largest process)")
    if result.get("ray"):
        from .ray_engine import render as render_ray

        lines.append(render_ray(result["ray"]))
    if len(result.get("large", [])) >= 2:
        first, last = result["large"][0], result["large"][-1]
        lines.append(f"large: time/MB of {last['mb']} MB over {first['mb']} MB = {last['s_per_mb'] / first['s_per_mb']:.2f}")
    if result.get("startup"):
        lines.append("startup (benchmarks/startup.py): " + json.dumps(result["startup"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, help="folder of documents [default: corpus from examples/]")
    parser.add_argument("--jobs", type=int, default=None, help="redactgate --jobs [default: all cores]")
    parser.add_argument("--floor-jobs", type=int, default=2, help="worker processes for the floor (b)")
    parser.add_argument("--small", type=int, default=300, help="small documents in the built corpus")
    parser.add_argument("--medium", type=int, default=10, help="medium documents in the built corpus")
    parser.add_argument("--news", nargs="?", type=Path, const=corpus.REPO.parent / "shared" / "eval" / "conll2003-dev.conll",
                        help="also measure real news rebuilt from a CoNLL file [default: ../shared/eval/conll2003-dev.conll]")
    parser.add_argument("--skip-examples", action="store_true", help="do not measure the corpus built from examples/")
    parser.add_argument("--large", action="store_true", help="also redact a 2 MB and a 200 MB file")
    parser.add_argument("--large-mb", type=int, nargs="+", default=[2, 200], help="sizes for --large")
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="redactgate-bench-") as tmp:
        work = Path(tmp)
        result: dict = {"cpus": os.cpu_count(), "runs": []}
        if args.dir:
            result["runs"].append(bench_folder(args.dir.name, args.dir, work, args.jobs, args.floor_jobs))
        if args.news:
            for name, folder in corpus.build_news(work / "news", args.news).items():
                result["runs"].append(bench_folder(name, folder, work, args.jobs, args.floor_jobs))
        if not args.dir and not args.skip_examples:
            built = corpus.build(work / "corpus", small=args.small, medium=args.medium)
            for group in ("small", "medium"):
                folder = work / group
                folder.mkdir()
                for path in built.glob(f"{group}-*"):
                    path.rename(folder / path.name)
                result["runs"].append(bench_folder(group, folder, work, args.jobs, args.floor_jobs))
        if args.large:
            result["large"] = bench_large(work, args.large_mb, args.jobs)
        result["startup"] = startup()
        result["ray"] = ray_engine(args.dir or work / "small", args.jobs)
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
