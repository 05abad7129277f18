"""Cost of the pseudonymising operators, as ratios against `placeholder` measured in the same run,
and how often two people share a surrogate surname.

    .venv/bin/python benchmarks/bench_pseudonyms.py [--repeat 20]

Texts: examples/, ../shared/seeds/ and the synthetic sentences of
../shared/eval/presidio-synth-dev.json (all read in place, never copied). Detection runs once (the real
model, DATE_TIME enabled); then mask_text runs `repeat` times over every document per operator, and
verify once per operator, so the table shows what each operator adds to the stages after detection.
The gold values of the synthetic set also show how many labelled DATE_TIME values `date_shift` can
parse and whether card and IBAN surrogates keep a valid checksum. Writes bench-results/pseudonyms.json.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from math import comb
from pathlib import Path

from redactgate.config import Config, EntitySettings
from redactgate.keys import RunKey
from redactgate.mask import mask_text
from redactgate.pipeline import Processor
from redactgate.dates import is_day_first, parse_date
from redactgate.rules import is_luhn_valid, is_mod97_valid
from redactgate.surrogate import Surrogates, name_pools
from redactgate.verify import verify

REPO = Path(__file__).resolve().parents[1]
SYNTH = REPO.parent / "shared" / "eval" / "presidio-synth-dev.json"
ENTITIES = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "US_SSN",
            "CREDENTIAL", "DATE_TIME")
OPERATORS = ("placeholder", "hmac", "surrogate", "encrypt", "date_shift")


def texts() -> list[str]:
    paths = sorted((REPO / "examples").rglob("*")) + sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
    docs = [p.read_text(encoding="utf-8") for p in paths if p.is_file()]
    return docs + [record["full_text"] for record in synth()]


def synth() -> list[dict]:
    return json.loads(SYNTH.read_text(encoding="utf-8")) if SYNTH.is_file() else []


def gold_values(entity: str) -> list[str]:
    return [span["entity_value"] for record in synth() for span in record["spans"] if span["entity_type"] == entity]


def gold_checks(key: RunKey) -> dict:
    dates = gold_values("DATE_TIME")
    parsed = sum(parse_date(d, is_day_first([d])) is not None for d in dates)
    surrogates = Surrogates(key)
    result = {"date_time_values": len(dates), "date_time_parsed": parsed}
    for entity, valid in (("CREDIT_CARD", is_luhn_valid), ("IBAN_CODE", is_mod97_valid)):
        originals = [v for v in gold_values(entity) if valid(v)]
        kept = sum(valid(surrogates.replace(entity, v)) for v in originals)
        result[entity] = {"valid_originals": len(originals), "valid_surrogates": kept}
    return result


def config_for(operator: str) -> Config:
    # date_shift only makes sense for dates; the other entities keep placeholders in that row
    chosen = {e: operator if operator != "date_shift" or e == "DATE_TIME" else "placeholder" for e in ENTITIES}
    return Config(enable=["DATE_TIME"], entities={e: EntitySettings(operator=op) for e, op in chosen.items()})


def time_operator(processor: Processor, docs: list[str], found: list, operator: str, repeat: int) -> dict:
    config, key = config_for(operator), processor.key
    start = time.perf_counter()
    for _ in range(repeat):
        masked = [mask_text(t, f, config, key, f"doc{i}") for i, (t, f) in enumerate(zip(docs, found))]
    mask_s = (time.perf_counter() - start) / repeat
    start = time.perf_counter()
    problems = [verify(t, m.text, f, processor.detector, [(r.out_start, r.out_end) for r in m.replacements])
                for t, m, f in zip(docs, masked, found)]
    verify_s = time.perf_counter() - start
    applied = Counter(r.operator for m in masked for r in m.replacements)
    return {"mask_s": mask_s, "verify_s": verify_s, "refused": sum(bool(p) for p in problems), "applied": dict(applied)}


def surname_collisions(key: RunKey, n: int) -> dict:
    surrogates = Surrogates(key)
    drawn = Counter(surrogates.person(f"Originalname{i:05d}") for i in range(n))
    pairs = sum(comb(c, 2) for c in drawn.values())
    return {"distinct_originals": n, "colliding_pairs": pairs,
            "expected_pairs_uniform": round(comb(n, 2) / len(name_pools()["surname"]), 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    key = RunKey(b"benchmark-key-not-secret", "env:REDACTGATE_KEY")
    processor = Processor(Config(enable=["DATE_TIME"]), key)
    docs = texts()
    start = time.perf_counter()
    found = processor.detector.detect(docs)
    detect_s = time.perf_counter() - start
    rows = {op: time_operator(processor, docs, found, op, args.repeat) for op in OPERATORS}
    base = rows["placeholder"]["mask_s"]
    print(f"{len(docs)} documents, {sum(map(len, docs))} chars, {sum(map(len, found))} findings; "
          f"detect {detect_s:.3f} s (once)")
    print(f"{'operator':<12}{'mask s':>10}{'x placeholder':>15}{'verify s':>10}{'refused':>9}  applied")
    for op, row in rows.items():
        print(f"{op:<12}{row['mask_s']:>10.4f}{row['mask_s'] / base:>15.2f}{row['verify_s']:>10.3f}"
              f"{row['refused']:>9}  {row['applied']}")
    dates = sum(f.entity_type == "DATE_TIME" for doc in found for f in doc)
    print(f"detected DATE_TIME spans shifted by date_shift: {rows['date_shift']['applied'].get('date_shift', 0)} of {dates}")
    gold = gold_checks(key)
    print(f"gold DATE_TIME values parsed by date_shift: {gold['date_time_parsed']} of {gold['date_time_values']}")
    for entity in ("CREDIT_CARD", "IBAN_CODE"):
        print(f"gold {entity}: {gold[entity]['valid_surrogates']} of {gold[entity]['valid_originals']} "
              "checksum-valid originals got a checksum-valid surrogate")
    collisions = [surname_collisions(key, n) for n in (50, 200, 1000)]
    for c in collisions:
        print(f"surname surrogates: {c['distinct_originals']} distinct originals -> {c['colliding_pairs']} "
              f"colliding pairs (uniform expectation {c['expected_pairs_uniform']})")
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "pseudonyms.json").write_text(json.dumps(
        {"documents": len(docs), "detect_s": detect_s, "operators": rows, "gold": gold,
         "collisions": collisions}, indent=2))


if __name__ == "__main__":
    main()
