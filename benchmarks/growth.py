"""How detection time grows with the length of one hostile line: linear, or worse.

A document can be one very long line of the same few characters (a data dump, a list of names, a
word with no space). Each shape below is screened (the full detection: model, recognizers,
boosters, resolution) at two lengths in one process, and the printout gives the ratio of the two
CPU times: about 4 when the work is linear in the length (4x the characters), 16 when quadratic.
Found this way on 2026-12-06 and fixed: encoded runs in one long word (hours for 200 KB), a long
line of names in the table-header filter and the results cue, a long chain of overlapping names in
`resolve` (20-30 s for 80 KB each), one name span repeating a short unit in the whole-word search
(3.9 s). Invented values only (example.com, 555-01xx).

Run: .venv/bin/python -m benchmarks.growth [SHORT LONG]   (default 20000 80000 characters)
"""

from __future__ import annotations

import json
import sys
import time

SHAPES = {
    "word": "a",
    "word and markers": None,  # one long word, then one marker of each encoding
    "digit groups": "12 ",
    "capitalised words": "Abc ",
    "list with and": "Abc and ",
    "names and tabs": "Ana\tLima\t",
    "names in brackets": "Jan Novak ( Norway ) , ",
    "results": "Jan Novak ( Norway ) 6-3 ",
    "role cues": "Mr Odo Pellmarsh , ",
    "reporting": "Odo Pellmarsh said , ",
    "initials": "J. Novak , ",
    "social": "hey odo , thanks ana , ",
    "standings": "Kent 12 4 5 .500 3 ",
    "e-mail addresses": "jane.roe@example.com , ",
    "phone numbers": "(202) 555-0142 , ",
    "hyphenated word": "ab-",
    "colons": "1:",
}


def text(shape: str, length: int) -> str:
    unit = SHAPES[shape]
    if unit is None:
        return "a" * length + " & % = \\x4 "
    return unit * (length // len(unit))


def run(short: int = 20_000, long: int = 80_000) -> dict:
    from redactgate.config import Config
    from redactgate.keys import RunKey
    from redactgate.pipeline import Processor
    from redactgate.screen import screen

    processor = Processor(Config(), RunKey(b"benchmark-key-not-secret", "bench"))
    processor.warm_up()
    results = {}
    for shape in SHAPES:
        screen(processor.detector, [text(shape, 2_000)])  # first-use costs outside the timing
        seconds = []
        for length in (short, long):
            started = time.process_time()
            screen(processor.detector, [text(shape, length)])
            seconds.append(time.process_time() - started)
        results[shape] = {"short_s": round(seconds[0], 3), "long_s": round(seconds[1], 3),
                          "ratio": round(seconds[1] / max(seconds[0], 1e-3), 2)}
        print(f"{shape:20s} {short:>7} chars {seconds[0]:7.2f} s  {long:>7} chars {seconds[1]:7.2f} s  "
              f"ratio {results[shape]['ratio']:5.1f}", flush=True)
    return {"benchmark": "growth", "short": short, "long": long, "linear_ratio": long / short, "shapes": results}


if __name__ == "__main__":
    lengths = [int(a) for a in sys.argv[1:3]] or [20_000, 80_000]
    print(json.dumps(run(*lengths), indent=1))
