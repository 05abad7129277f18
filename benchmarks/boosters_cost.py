"""CPU cost of the name boosters' post-processing as a ratio of the model's own CPU time (issue 5),
and what each setting does to PERSON token recall/precision and whole names on the same data.

One process: the engine (model and pattern recognizers, plus the recase pass) analyses the texts
once; then `Detector.postprocess` runs over the same raw findings under several booster settings,
interleaved for `ROUNDS` rounds so that load from other processes spreads over all of them. CPU
time (`time.process_time`), median per setting. The one-time loading of word and place lists is
taken in a warm-up and reported on its own.

    PYTHONPATH=src .venv/bin/python -m benchmarks.boosters_cost DATASET [--format conll|presidio-json] [ROUNDS]

Prints one line per setting: CPU seconds, the ratio to the model's CPU seconds, and the PERSON
scores `redactgate eval` computes (the same `score_doc`). The model runs once, so this is the
quick form of `eval --ablation` for the post-processing boosters (`recase` needs the model again and
is on in every row). Counts only, never text.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from redactgate.boosters import extra_raw, recasings
from redactgate.config import Boosters, Config
from redactgate.datasets import load_dataset
from redactgate.detect import Detector
from redactgate.evaluate import Counts, score_doc
from redactgate.keys import RunKey
from redactgate.pipeline import Processor

NEWS = ("peers", "joins", "structure")


def settings() -> dict[str, Boosters]:
    every = {n: True for n in Boosters.model_fields}
    chosen = {"all boosters": Boosters(**every), "no news boosters": Boosters(**{**every, **dict.fromkeys(NEWS, False)})}
    chosen |= {f"all but {n}": Boosters(**{**every, n: False}) for n in NEWS}
    chosen |= {f"only recase+{n}": Boosters(**{**dict.fromkeys(every, False), "recase": True, n: True})
               for n in every if n != "recase"}
    chosen["only recase"] = Boosters(**{**dict.fromkeys(every, False), "recase": True})
    return chosen


def main(argv: list[str]) -> None:
    fmt = argv[argv.index("--format") + 1] if "--format" in argv else None
    rest = [a for i, a in enumerate(argv) if a != "--format" and (i == 0 or argv[i - 1] != "--format")]
    path, rounds = Path(rest[0]), int(rest[1]) if len(rest) > 1 else 5
    docs = load_dataset(path, fmt)
    texts = [d.text for d in docs]
    key = RunKey(b"boosters-cost-benchmark-key-0000", "bench")
    processor = Processor(Config(), key)
    started = time.process_time()
    recast = recasings(texts, Config().boosters)  # as screen runs it
    raw = processor.engine.analyze(texts, model_texts=[r.view for r in recast])
    model_cpu = time.process_time() - started
    raw = extra_raw(recast, raw, processor.engine.persons)
    recase_cpu = time.process_time() - started - model_cpu
    detectors = {name: Detector(processor.engine, Config(boosters=b), key) for name, b in settings().items()}
    started = time.process_time()
    detectors["all boosters"].postprocess(texts[0], raw[0])  # loads word and place lists
    warm_up = time.process_time() - started
    times: dict[str, list[float]] = {name: [] for name in detectors}
    scores: dict[str, Counts] = {}
    for _ in range(rounds):
        for name, detector in detectors.items():
            started = time.process_time()
            results = [detector.postprocess(text, found) for text, found in zip(texts, raw)]
            times[name].append(time.process_time() - started)
            scores[name] = _person_counts(docs, results)
    print(f"{len(texts)} documents, {sum(map(len, texts))} characters; model CPU {model_cpu:.2f} s "
          f"(recase pass {recase_cpu:.2f} s more), one-time list loading {warm_up:.2f} s")
    for name, values in times.items():
        median, c = statistics.median(values), scores[name]
        print(f"  {name:<22} post-processing {median:6.2f} s CPU = {median / model_cpu:5.3f}x model   "
              f"PERSON tokR {c.token_recall:.4f} tokP {c.token_precision:.4f} whole {c.whole_share:.4f}")


def _person_counts(docs: list, results: list) -> Counts:
    total = Counts()
    for doc, found in zip(docs, results):
        total.add(score_doc(doc, [(f.start, f.end, f.entity_type) for f in found], "PERSON"))
    return total


if __name__ == "__main__":
    main(sys.argv[1:])
