"""Redact a Ray Dataset column: for teams that already hold their documents as a Dataset.

`redact_dataset(ds, config, key)` maps each batch of records through an actor that built one
`Processor` (the same detection, operators, verification and key as the command line) and adds the
redacted text, the findings (offsets, entity, rule, score, operator, value id; never a value) and a
refusal reason. A record that fails verification gets no redacted text, never a partial one.
"""

from __future__ import annotations

from typing import Any

from .config import Config
from .keys import RunKey
from .pipeline import Outcome, Processor
from .ray_engine import start_ray

FINDING_FIELDS = (("start", "int64"), ("end", "int64"), ("out_start", "int64"), ("out_end", "int64"),
                  ("entity_type", "string"), ("rule", "string"), ("score", "float64"),
                  ("operator", "string"), ("value_id", "string"))


class DatasetRedactor:
    """The Ray Data UDF: one `Processor` per actor, pyarrow batches in and out."""

    def __init__(self, setup: Any, text_column: str, output_column: str, findings_column: str,
                 refused_column: str, id_column: str | None) -> None:
        import ray

        config, key = ray.get(setup) if isinstance(setup, ray.ObjectRef) else setup
        self.processor = Processor(config, key)
        self.columns = (text_column, output_column, findings_column, refused_column)
        self.id_column = id_column

    def _doc_id(self, record_id: Any, text: str) -> str:
        """What per-document operators (date shift) are keyed by: the record's id, or else a keyed
        digest of its text (stable across runs and batches, and it reveals nothing)."""
        if record_id is not None:
            return str(record_id)
        return self.processor.key.mac("dataset-record", text.encode("utf-8"))[:32]

    def __call__(self, batch: Any) -> Any:
        text_column, output_column, findings_column, refused_column = self.columns
        texts = batch.column(text_column).to_pylist()
        ids = batch.column(self.id_column).to_pylist() if self.id_column else [None] * len(texts)
        usable = [i for i, t in enumerate(texts) if isinstance(t, str)]
        outcomes: list[Outcome | None] = [None] * len(texts)
        doc_ids = [self._doc_id(ids[i], texts[i]) for i in usable]
        for i, outcome in zip(usable, self.processor.process_texts([texts[i] for i in usable], doc_ids)):
            outcomes[i] = outcome
        import pyarrow as pa

        batch = _set_column(batch, output_column, pa.array([_redacted(o) for o in outcomes], pa.string()))
        batch = _set_column(batch, findings_column, pa.array([_findings(o) for o in outcomes], findings_type()))
        return _set_column(batch, refused_column, pa.array([_refused(o) for o in outcomes], pa.string()))


def _redacted(outcome: Outcome | None) -> str | None:
    return outcome.output.decode("utf-8") if outcome and outcome.ok and outcome.output is not None else None


def _findings(outcome: Outcome | None) -> list[dict[str, Any]]:
    if outcome is None or not outcome.ok:
        return []
    return [{"start": r.finding.start, "end": r.finding.end, "out_start": r.out_start, "out_end": r.out_end,
             "entity_type": r.finding.entity_type, "rule": r.finding.rule, "score": r.finding.score,
             "operator": r.operator, "value_id": r.finding.group} for r in outcome.replacements]


def _refused(outcome: Outcome | None) -> str | None:
    if outcome is None:
        return "not-text"  # a null or non-string value in the text column
    return outcome.reason or None


def findings_type() -> Any:
    import pyarrow as pa

    return pa.list_(pa.struct([(name, pa.type_for_alias(kind)) for name, kind in FINDING_FIELDS]))


def _set_column(table: Any, name: str, array: Any) -> Any:
    index = table.schema.get_field_index(name)
    return table.set_column(index, name, array) if index >= 0 else table.append_column(name, array)


def redact_dataset(ds: Any, config: Config | None = None, key: RunKey | None = None, *,
                   text_column: str = "text", output_column: str = "redacted",
                   findings_column: str = "findings", refused_column: str = "refused",
                   id_column: str | None = None, batch_size: int = 64, workers: int | None = None) -> Any:
    """`ds` with the redacted text, findings and refusal reason added per record (lazy, as Ray
    Data is). Without `key`, the key comes from the config's key variable (random if unset).
    `id_column` names each record for per-document operators (date shift); without it a keyed
    digest of the text does."""
    config = config or Config()
    key = key or RunKey.from_env(config.key_env)
    start_ray()
    import ray
    from ray.data import ActorPoolStrategy

    pool = ActorPoolStrategy(size=workers) if workers else ActorPoolStrategy(min_size=1)
    return ds.map_batches(
        DatasetRedactor, batch_format="pyarrow", batch_size=batch_size, compute=pool, num_cpus=1,
        fn_constructor_args=(ray.put((config, key)), text_column, output_column, findings_column, refused_column,
                             id_column),
    )
