"""Pipelines declared in `pipelines/*.cfg` (spaCy config style) and run stage by stage."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from confection import Config

from . import __version__, chunking
from .chunking import process_in_chunks
from .doc import Doc, Source, parse_doc_date
from .record import dumps, omit_fields, to_record
from .record_stream import LINE, PRETTY, write_chunked_record
from .registry import Stage, get_stage

if TYPE_CHECKING:
    from .types import Record

PIPELINE_DIR = "pipelines"
MAX_CHARS = 50_000_000  # a longer text is a clean per-document error


@dataclass
class PipelineSpec:
    name: str
    version: str
    stages: list[tuple[str, str, dict[str, Any]]]  # (stage name, factory, settings)
    overrides: dict[str, Any] = field(default_factory=dict)


def overrides_digest(overrides: dict[str, Any]) -> str:
    """A short hash of setting overrides and of the files they name, so a record made
    with another user dictionary never counts as current."""
    digest = hashlib.sha256(json.dumps(overrides, sort_keys=True).encode())
    for value in overrides.values():
        if isinstance(value, str) and Path(value).is_file():
            digest.update(Path(value).read_bytes())
    return digest.hexdigest()[:8]


class Pipeline:
    """A loaded pipeline: call it on a text to get a JSON-ready record."""

    def __init__(self, spec: PipelineSpec) -> None:
        self.name = spec.name
        self.version = f"{spec.version}+zhextract{__version__}"
        if spec.overrides:
            self.version += f"+{overrides_digest(spec.overrides)}"
        self.stage_names = [name for name, _, _ in spec.stages]
        self.max_chars = MAX_CHARS
        self._stages: list[tuple[str, Stage]] = []
        provided: set[str] = {"raw"}
        for name, factory, settings in spec.stages:
            info = get_stage(factory)
            missing = [need for need in info.requires if need not in provided]
            if missing:
                raise ValueError(
                    f"pipeline {spec.name!r}: stage {name!r} requires {missing}, "
                    "which no earlier stage provides"
                )
            provided.update(info.provides)
            self._stages.append((name, info.factory(**settings)))

    def process(self, doc: Doc) -> Doc:
        """Run every stage on `doc` in order and return it (a long document chunk by
        chunk, see `chunking`, joined into one document)."""
        self._check_length(doc)
        return process_in_chunks(doc, self._run_stages)

    def _check_length(self, doc: Doc) -> None:
        if len(doc.raw) > self.max_chars:
            raise ValueError(
                f"text of {len(doc.raw):,} characters is over the limit of {self.max_chars:,}"
            )

    def _run_stages(self, doc: Doc) -> Doc:
        for _name, stage in self._stages:
            stage(doc)
        return doc

    def __call__(
        self, text: str, doc_date: str | dt.date | None = None, source: Source | None = None
    ) -> Record:
        doc = Doc.from_text(text, source=source, doc_date=parse_doc_date(doc_date))
        return cast("Record", to_record(self.process(doc), self.name, self.version))

    def write(
        self,
        text: str,
        handle: IO[str],
        doc_date: str | dt.date | None = None,
        source: Source | None = None,
        omitted: Iterable[str] = (),
        line: bool = False,
    ) -> None:
        """Write the record of `text` to `handle`: as `record.dumps` writes it, or as one
        compact JSON line (without its line break) with `line`; the fields in `omitted`
        left out as `record.omit_fields` does. A text longer than one chunk is processed
        and written chunk by chunk, so memory stays bounded by a chunk, not the text."""
        doc = Doc.from_text(text, source=source, doc_date=parse_doc_date(doc_date))
        self._check_length(doc)
        if len(doc.raw) > chunking.CHUNK_CHARS:
            layout = LINE if line else PRETTY
            write_chunked_record(
                doc, self._run_stages, self.name, self.version, handle, omitted, layout
            )
            return
        record = omit_fields(to_record(self.process(doc), self.name, self.version), omitted)
        if line:
            handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        else:
            handle.write(dumps(record))

    def pipe(self, texts: Iterable[str], doc_date: str | dt.date | None = None) -> Iterator[Record]:
        for text in texts:
            yield self(text, doc_date=doc_date)


def read_spec(path_or_name: str | Path, overrides: Mapping[str, Any] | None = None) -> PipelineSpec:
    """Read a pipeline config: a bundled name such as "default", or a path to a .cfg file.
    `overrides` replace settings by dotted path, e.g. {"stages.segment.user_dict": "w.txt"}."""
    overrides = dict(overrides or {})
    config = Config().from_str(_config_text(path_or_name), interpolate=False, overrides=overrides)
    header = config.get("pipeline", {})
    stage_settings = config.get("stages", {})
    stages = []
    for stage_name in header.get("stages", []):
        settings = dict(stage_settings.get(stage_name, {}))
        factory = settings.pop("factory", stage_name)
        stages.append((stage_name, factory, settings))
    if not stages:
        raise ValueError(f"pipeline {path_or_name!r} declares no stages")
    return PipelineSpec(
        name=str(header.get("name", Path(str(path_or_name)).stem)),
        version=str(header.get("version", "0")),
        stages=stages,
        overrides=overrides,
    )


def _config_text(path_or_name: str | Path) -> str:
    path = Path(path_or_name)
    if path.suffix == ".cfg" or path.exists():
        return path.read_text(encoding="utf-8")
    bundled = resources.files("zhextract").joinpath(f"{PIPELINE_DIR}/{path_or_name}.cfg")
    if not bundled.is_file():
        raise ValueError(f"no pipeline named {str(path_or_name)!r} and no such .cfg file")
    return bundled.read_text(encoding="utf-8")


_LOADED: dict[str, Pipeline] = {}


def load(pipeline: str | Path = "default", overrides: Mapping[str, Any] | None = None) -> Pipeline:
    """Load a pipeline by bundled name or .cfg path, with optional setting overrides
    (cached per process)."""
    key = json.dumps([str(pipeline), dict(overrides or {})], sort_keys=True)
    if key not in _LOADED:
        _LOADED[key] = Pipeline(read_spec(pipeline, overrides))
    return _LOADED[key]
