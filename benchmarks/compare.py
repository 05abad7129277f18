"""Detection check for the benchmark: are stock Presidio's spans masked by redactgate too?

Only the entity types redactgate enables by default are compared (stock Presidio also reports
locations, dates, organisations ... which the default profile keeps on purpose). A stock span counts
as covered when every character of it lies inside redactgate's replaced spans for that file; a missed
one is also counted as untouched when not one of its characters was replaced ("G. Kersey 63", the
name masked and the score not, is missed but not untouched).
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from pathlib import Path

from redactgate.config import DEFAULT_ENTITIES


def masked_spans(audit: Path) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for line in audit.read_text().splitlines():
        record = json.loads(line)
        if record.get("type") == "finding":
            spans[record["path"]].append((record["start"], record["end"]))
    return spans


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of spans as sorted, disjoint intervals (touching spans joined)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _covered(start: int, end: int, union: list[tuple[int, int]]) -> bool:
    index = bisect_right(union, (start, float("inf"))) - 1
    return index >= 0 and union[index][0] <= start and end <= union[index][1]


def _touched(start: int, end: int, union: list[tuple[int, int]]) -> bool:
    index = bisect_left(union, (end,)) - 1  # the last interval starting before `end`
    return index >= 0 and union[index][1] > start


def coverage(stock: dict[str, list], audit: Path) -> dict:
    ours = {path: merged(spans) for path, spans in masked_spans(audit).items()}
    total, covered, missed, untouched = Counter(), Counter(), Counter(), Counter()
    for path, found in stock.items():
        for start, end, entity in found:
            if entity not in DEFAULT_ENTITIES:
                continue
            total[entity] += 1
            if _covered(start, end, ours.get(path, [])):
                covered[entity] += 1
            else:
                missed[entity] += 1
                untouched[entity] += not _touched(start, end, ours.get(path, []))
    n = sum(total.values())
    return {"stock_spans": n, "covered": sum(covered.values()), "share": sum(covered.values()) / n if n else 1.0,
            "missed_by_entity": dict(sorted(missed.items())), "untouched_by_entity": dict(sorted(untouched.items())),
            "stock_by_entity": dict(sorted(total.items()))}
