"""`--engine ray` against the local engine on one machine, in the same run, as a ratio.

Both are fresh `redactgate redact` processes over the same folder with the same `--jobs`, timed
from process start to exit, so Ray's start-up (its own processes, then one model load per actor)
counts against it. Also measured: the resident memory of one Ray actor with the model loaded, and
whether both engines wrote the same bytes. `python -m benchmarks.ray_engine [DIR] [--jobs N]`;
`scripts/bench` adds the row when Ray is installed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from . import corpus, measure
from .bench import MB, child_env, folder_bytes


def redact(folder: Path, out: Path, jobs: int, engine: str) -> measure.Measured:
    cmd = [sys.executable, "-m", "redactgate", "redact", str(folder), "--out", str(out), "--jobs", str(jobs)]
    result = measure.run(cmd + ["--engine", engine], env=child_env(), cwd=str(corpus.REPO))
    if result.returncode != 0:
        raise SystemExit(f"--engine {engine} failed with exit {result.returncode}:\n{result.stderr[-2000:]}")
    return result


def same_output(a: Path, b: Path) -> bool:
    files = lambda root: {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()  # noqa: E731
                          and p.name != "manifest.json"}
    return files(a) == files(b)


def one_actor() -> dict:
    """Start-up of a local Ray with one actor that has loaded the model, and that actor's resident
    memory, in a child process."""
    code = ("import time; t = time.perf_counter(); from redactgate.config import Config; "
            "from redactgate.executor import Task; from redactgate.keys import RunKey; "
            "from redactgate.ray_engine import RayExecutor; "
            "e = RayExecutor(Task(Config(), RunKey.from_env(), rewrite=False), workers=1); e.start(); "
            "print(time.perf_counter() - t, e.actor_rss_bytes()[0]); e.close()")
    result = measure.run([sys.executable, "-c", code], env=child_env(), cwd=str(corpus.REPO))
    if result.returncode != 0:
        return {"startup_s": None, "actor_rss_mb": None}
    seconds, rss = result.stdout.split()[-2:]
    return {"startup_s": round(float(seconds), 2), "actor_rss_mb": round(int(rss) / 2**20)}


def run(folder: Path | None = None, jobs: int = 2, small: int = 300, medium: int = 10, repeat: int = 1) -> dict:
    """Local and Ray runs alternated `repeat` times (so load from elsewhere hits both alike)."""
    with tempfile.TemporaryDirectory(prefix="redactgate-ray-bench-") as tmp:
        work = Path(tmp)
        folder = folder or corpus.build(work / "corpus", small=small, medium=medium)
        size = folder_bytes(folder)
        runs: dict[str, list[measure.Measured]] = {"local": [], "ray": []}
        for index in range(repeat):
            for engine in runs:
                print(f"[ray] {size / MB:.2f} MB, --jobs {jobs}, --engine {engine} ({index + 1}/{repeat}) ...",
                      file=sys.stderr, flush=True)
                runs[engine].append(redact(folder, work / f"{engine}-{index}", jobs, engine))
        identical = all(same_output(work / f"local-{i}", work / f"ray-{i}") for i in range(repeat))
    rows = {engine: _row(measured, size) for engine, measured in runs.items()}
    return {
        "mb": size / MB, "jobs": jobs, "repeat": repeat, **rows,
        "ratio_ray_over_local_speed": rows["local"]["seconds"] / rows["ray"]["seconds"],
        "identical_output_and_audit": identical,
        **one_actor(),
    }


def _row(measured: list[measure.Measured], size: int) -> dict:
    seconds = statistics.median(m.seconds for m in measured)
    return {"seconds": round(seconds, 2), "all_seconds": [round(m.seconds, 2) for m in measured],
            "mb_s": size / MB / seconds, "tree_peak_mb": round(max(m.tree_peak_mb for m in measured))}


def render(r: dict) -> str:
    return (f"ray engine, {r['mb']:.2f} MB, --jobs {r['jobs']}: local {r['local']['mb_s']:.3f} MB/s "
            f"({r['local']['seconds']} s), ray {r['ray']['mb_s']:.3f} MB/s ({r['ray']['seconds']} s), "
            f"ray/local speed {r['ratio_ray_over_local_speed']:.2f} (median of {r['repeat']}); "
            f"peak MB (tree) local/ray "
            f"{r['local']['tree_peak_mb']}/{r['ray']['tree_peak_mb']}; one actor with the model "
            f"{r['actor_rss_mb']} MB RSS, Ray start-up to a ready actor {r['startup_s']} s; "
            f"same bytes and audit: {r['identical_output_and_audit']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ray_engine", description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, help="folder of documents [default: corpus from examples/]")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--small", type=int, default=300)
    parser.add_argument("--medium", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1, help="alternated local/ray pairs; medians reported")
    args = parser.parse_args(argv)
    result = run(args.dir, args.jobs, args.small, args.medium, args.repeat)
    print(render(result))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
