"""Per-stage CPU time of `redactgate redact`'s work on one folder, in one process.

`python -m benchmarks.stages DIR [--batch N]` builds a `Processor` with the default config (as the
CLI does), times start-up (imports, rule loading, engine construction, the warm-up `redact` runs
before its workers fork, which loads the word, name and place lists), then runs the same
`Processor.process` the workers run over the folder, with process-CPU timers around each stage.
Times are inclusive (a stage's row holds the rows indented under it) and measured with
`time.process_time`, so other load on the machine moves them little. A recognizer's row holds both
its passes: detection (under "presidio analyze") and the verify re-scan of the output. Nothing is
written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

CPU = time.process_time
totals: dict[str, float] = defaultdict(float)
_open: list[str] = []  # stages being timed, innermost last: a re-entrant call is not counted twice


def _timed(name: str, fn: Callable) -> Callable:
    def wrapper(*args, **kwargs):
        if name in _open:
            return fn(*args, **kwargs)
        _open.append(name)
        started = CPU()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[name] += CPU() - started
            _open.pop()
    return wrapper


def _timed_iter(name: str, items: Iterator) -> Iterator:
    while True:
        started = CPU()
        try:
            item = next(items)
        except StopIteration:
            totals[name] += CPU() - started
            return
        totals[name] += CPU() - started
        yield item


def patch(obj: object, attr: str, name: str) -> None:
    setattr(obj, attr, _timed(name, getattr(obj, attr)))


def instrument(processor) -> None:  # noqa: ANN001 - a redactgate.pipeline.Processor
    from redactgate import detect, engine, pipeline, screen, verify

    engine_ = processor.engine
    pipe = engine_.nlp.pipe
    engine_.nlp.pipe = lambda texts, **kw: _timed_iter("  nlp.pipe (model: tokenizer + ner)", pipe(texts, **kw))
    patch(pipeline, "load_document", "read + decode")
    patch(pipeline, "read_limited", "read + decode")
    patch(pipeline, "screen", "screen (normalize, engine, postprocess)")
    patch(screen, "normalize", "  normalize")
    patch(screen, "encoded_runs", "  encoded runs")
    patch(engine.Engine, "analyze", " engine.analyze")
    patch(engine._LoadedSpacyEngine, "_doc_to_nlp_artifact", "  nlp artifacts")
    patch(engine_.analyzer, "analyze", "  presidio analyze (recognizers, context)")
    for recognizer in engine_.analyzer.registry.recognizers:
        if recognizer.name != "SpacyRecognizer":
            patch(recognizer, "analyze", f"   recognizer {recognizer.name} (analyze + re-scan)")
    patch(detect.Detector, "postprocess", " postprocess (boosters, propagation, resolve)")
    patch(screen, "recasings", "  boosters: recase (views: ALL-CAPS lines)")
    patch(screen, "extra_raw", "  boosters: recase (model again: lower-case lines)")
    patch(detect, "candidates", "  boosters: cues + lexicon")
    patch(detect, "filter_persons", "  boosters: fpfilter + guard")
    patch(detect, "propagate_names", "  propagation")
    patch(detect, "complete_names", "  boosters: joins, peers, structure, social")
    patch(detect, "every_occurrence", "  every occurrence")
    patch(detect, "extend_addresses", "  addresses")
    patch(detect.Detector, "assign_groups", "  groups (keyed value ids)")
    patch(pipeline, "mask_text", "mask")
    patch(pipeline, "verify", "verify")
    patch(verify, "normalize", " verify: normalize")
    patch(engine.Engine, "scan_patterns", " verify: pattern re-scan")
    patch(pipeline.Processor, "process", "process (all stages)")


def run(folder: Path, batch: int) -> dict:
    started = CPU()
    from redactgate.config import Config
    from redactgate.keys import RunKey
    imported = CPU()
    import redactgate.engine  # noqa: F401 - spaCy, Presidio
    heavy = CPU()
    from redactgate.discover import discover
    from redactgate.pipeline import Processor
    from redactgate.rules import builtin_rules_dir, load_rules

    config = Config()
    rules_started = CPU()
    load_rules([builtin_rules_dir()])
    rules_s = CPU() - rules_started
    built = CPU()
    processor = Processor(config, RunKey(b"benchmark-key-not-secret", "env:BENCH"))
    ready = CPU()
    processor.warm_up()  # as `redact` does before its workers fork: first-use lists load here, not in a stage
    warmed = CPU()
    instrument(processor)
    found, _ = discover([folder])
    for index in range(0, len(found), batch):
        processor.process(found[index:index + batch], rewrite=True)
    size = sum(s.path.stat().st_size for s in found)
    startup = {"import redactgate (cli side)": imported - started, "import spaCy + Presidio": heavy - imported,
               "load rules (YAML)": rules_s, "Processor() (model, registry, rules)": ready - built,
               "warm-up (first-use word, name, place lists)": warmed - ready}
    return {"files": len(found), "bytes": size, "startup_cpu_s": startup, "stages_cpu_s": dict(totals)}


def render(result: dict) -> str:
    total = result["stages_cpu_s"].get("process (all stages)", 0.0)
    model = result["stages_cpu_s"].get("  nlp.pipe (model: tokenizer + ner)", 0.0)
    lines = [f"{result['files']} files, {result['bytes'] / 1e6:.2f} MB; CPU seconds (process_time), inclusive"]
    lines += [f"  start-up: {name:<44} {s:7.2f}" for name, s in result["startup_cpu_s"].items()]
    for name, seconds in sorted(result["stages_cpu_s"].items(), key=lambda kv: (_order(kv[0]), -kv[1])):
        lines.append(f"  {name:<54} {seconds:7.2f}  {seconds / total:6.1%}" if total else name)
    lines.append(f"  beyond the model: {total - model:.2f} s = {(total - model) / model:.0%} of the model's time"
                 if model else "  no model time measured")
    return "\n".join(lines)


ORDER = ["process", "read", "screen", "  normalize", "  encoded", "  boosters: recase", " engine", "  nlp.pipe", "  nlp art", "  presidio",
         "   recognizer", " postprocess", "  boosters: cues", "  boosters: fp", "  propagation",
         "  boosters: joins", "  addresses", "  every occurrence", "  groups", "mask", "verify", " verify: normalize", " verify: pattern"]


def _order(name: str) -> int:
    return next((i for i, prefix in enumerate(ORDER) if name.startswith(prefix)), len(ORDER))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stages", description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--batch", type=int, default=64, help="files per Processor.process call")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    result = run(args.dir, args.batch)
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
