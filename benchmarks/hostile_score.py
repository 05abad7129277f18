"""How many files of the hostile corpus (tests/hostile_corpus.py) a redactgate checkout handles
without a leak: redacted with no planted value (or identifying piece of one) left in its output, or
refused with the expected reason. Runs the real CLI once over the corpus.

    .venv/bin/python benchmarks/hostile_score.py [--src ../main/src]

`--src` picks the checkout whose sources run (default: this one), so two branches can be compared
on the same corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from hostile_corpus import all_cases, leaks, name_cases, views  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", type=Path, default=REPO / "src")
    args = parser.parse_args()
    cases = all_cases()
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        for case in cases:
            path = os.path.join(os.fsencode(src), os.fsencode(case.name))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            Path(os.fsdecode(path)).write_bytes(case.data)
        config = Path(tmp) / "redactgate.toml"
        config.write_text('fallback_encodings = ["cp1252"]\n')
        env = {k: v for k, v in os.environ.items() if not k.startswith("REDACTGATE_")}
        env.update(PYTHONPATH=str(args.src.resolve()), REDACTGATE_KEY="hostile-score-key-not-secret")
        result = subprocess.run([sys.executable, "-m", "redactgate", "redact", str(src), "--out", str(out), "--config", str(config)],
                                env=env, capture_output=True, text=True)
        if result.returncode not in (0, 2):
            sys.exit(f"redact exited {result.returncode}")
        audit = (out / ".redactgate" / "audit.jsonl").read_text()
        files = {r["path"]: r for r in map(json.loads, audit.splitlines()) if r["type"] == "file"}
        named = {c.name for c in name_cases()}
        verdicts = {case.name: _verdict(case, files, out) for case in cases if case.name not in named}
        everything = [audit, result.stdout, result.stderr] + [p.relative_to(out).as_posix() for p in out.rglob("*")]
        for case in name_cases():
            verdicts[case.name] = "leak" if leaks(case.secrets, everything) else "ok"
    good = sum(v == "ok" for v in verdicts.values())
    for name, verdict in sorted(verdicts.items()):
        if verdict != "ok":
            print(f"  {verdict:12} {name!r}")
    print(f"{good} of {len(verdicts)} hostile files handled without a leak ({args.src})")


def _verdict(case, files: dict, out: Path) -> str:
    record = files.get(case.name)
    if record is None:
        return "missing"
    if record["status"] == "refused":
        return "ok" if record.get("reason") == case.expect else f"refused:{record.get('reason')}"
    if case.expect != "redacted":
        target = out / record.get("output_path", case.name)
        return "leak" if leaks(case.secrets, views(target.read_bytes())) else f"not-refused"
    target = out / record.get("output_path", case.name)
    return "leak" if leaks(case.secrets, views(target.read_bytes())) else "ok"


if __name__ == "__main__":
    main()
