"""What evasion handling costs and changes, on real news (CoNLL-2003 dev, read from ../shared/eval).

Baseline in the same run: `Detector.detect` on the original texts (detection as it was before
normalisation). Measured: `normalize` + `encoded_runs` alone, and `screen` (normalise, decode runs,
detect, map back). Prints seconds, MB/s and ratios to the baseline, and how many findings differ
between the two paths (clean ASCII news should give nearly the same spans).

    .venv/bin/python benchmarks/bench_evasions.py [--articles N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from redactgate.config import Config
from redactgate.encoded import encoded_runs
from redactgate.keys import RunKey
from redactgate.normalize import normalize
from redactgate.pipeline import Processor
from redactgate.screen import screen

CONLL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "conll2003-dev.conll"


def articles(path: Path, limit: int) -> list[str]:
    docs, sentences, tokens = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("-DOCSTART-"):
            if sentences:
                docs.append("\n".join(sentences))
            sentences = []
        elif not line.strip():
            if tokens:
                sentences.append(" ".join(tokens))
            tokens = []
        else:
            tokens.append(line.split()[0])
    docs.append("\n".join(sentences))
    return [d for d in docs if d][:limit]


def timed(label: str, run, size: int, baseline: float | None = None) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    ratio = f"  {seconds / baseline:.3f}x baseline" if baseline else "  (baseline)"
    print(f"{label:<40} {seconds:8.3f} s  {size / seconds / 1e6:8.3f} MB/s{ratio}")
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=216)
    args = parser.parse_args()
    if not CONLL.is_file():
        raise SystemExit(f"evaluation data not found: {CONLL}")
    texts = articles(CONLL, args.articles)
    size = sum(len(t.encode()) for t in texts)
    processor = Processor(Config(), RunKey(b"bench", "env:REDACTGATE_KEY"))
    processor.detector.detect(texts[:2])  # warm-up
    print(f"{len(texts)} articles, {size / 1e6:.3f} MB")
    base, plain = timed("detect (baseline, no normalisation)", lambda: processor.detector.detect(texts), size)
    timed("normalize + encoded_runs only", lambda: [encoded_runs(normalize(t).text) for t in texts], size, base)
    _, screened = timed("screen (normalise, decode, detect, map)", lambda: screen(processor.detector, texts), size, base)
    before = {(i, f.start, f.end, f.entity_type) for i, fs in enumerate(plain) for f in fs}
    after = {(i, f.start, f.end, f.entity_type) for i, s in enumerate(screened) for f in s.findings}
    print(f"findings: baseline {len(before)}, screen {len(after)}, only baseline {len(before - after)}, only screen {len(after - before)}")


if __name__ == "__main__":
    main()
