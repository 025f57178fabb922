"""Turn a processed `Doc` into the published JSON record (see schemas/record.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from .doc import Doc, Span

SCHEMA_VERSION = "1.1"  # 1.1: figures low/high, percentage points as fractions, omitted; meta.published ISO; dates week/quarter/half values, range, basis; facts
# Value types that JSON writes as they are (`json_ready` leaves them alone).
PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})
SPAN_LISTS = (
    "sections",
    "paragraphs",
    "notes",
    "sentences",
    "tokens",
    "entities",
    "figures",
    "dates",
)
# Record fields a run may leave out (`zhextract run --fields`); the record lists them in
# `omitted`, so a reader can tell "left out" from "none found".
OPTIONAL_FIELDS = ("meta", *SPAN_LISTS, "facts")
# A token as `to_record` writes it (str, int, int, str, int, int), fields in this order.
TOKEN_FIELDS = ("text", "start", "end", "pos", "source_start", "source_end")
# A str as a JSON string literal, as `json.dumps(..., ensure_ascii=False)` writes it.
_quoted: Callable[[str], str] = json.encoder.encode_basestring
# Source offsets [start, end) of the text span [start, end), as `Doc.source_span` gives them.
SourceSpan = Callable[[int, int], tuple[int, int]]


def to_record(doc: Doc, pipeline_name: str, pipeline_version: str) -> dict[str, Any]:
    """A JSON-ready dict: exact numbers as int (or float only where that is exact)."""
    record = record_head(doc, pipeline_name, pipeline_version, doc.text)
    for name in SPAN_LISTS:
        record[name] = spans_with_source_offsets(doc.source_span, getattr(doc, name))
    record["figures"] = [with_bounds(figure) for figure in record["figures"]]
    record["facts"] = [
        nested_source_offsets(doc.source_span, json_ready(fact)) for fact in doc.facts
    ]
    record["warnings"] = list(doc.warnings)
    return record


def record_head(doc: Doc, pipeline_name: str, pipeline_version: str, text: str) -> dict[str, Any]:
    """The record's fields before its span lists, with `text` as its text."""
    return {
        "schema_version": SCHEMA_VERSION,
        "id": doc.source.sha256[:16],
        "source": {
            "path": doc.source.path,
            "sha256": doc.source.sha256,
            "encoding": doc.source.encoding,
        },
        "pipeline": {"name": pipeline_name, "version": pipeline_version},
        "doc_date": doc.doc_date.isoformat() if doc.doc_date else None,
        "text": text,
        "meta": json_ready(doc.meta),
    }


def with_bounds(figure: Span) -> Span:
    """The figure with `low` and `high` after its value: the range's ends, or the value
    twice for a point value (None for none), so every figure has numeric bounds."""
    value = figure.get("value")
    low, high = value if isinstance(value, list) else (value, value)
    bounded: Span = {}
    for key, item in figure.items():
        bounded[key] = item
        if key == "value":
            bounded["low"], bounded["high"] = low, high
    return bounded


def omit_fields(record: Mapping[str, Any], omitted: Iterable[str]) -> dict[str, Any]:
    """`record` without the OPTIONAL_FIELDS named in `omitted`, which it then lists in
    `omitted` (after `warnings`)."""
    names = [name for name in OPTIONAL_FIELDS if name in set(omitted)]
    if not names:
        return dict(record)
    trimmed = {key: value for key, value in record.items() if key not in names}
    trimmed["omitted"] = names
    return trimmed


def spans_with_source_offsets(source_span: SourceSpan, items: list[Span]) -> list[Span]:
    """JSON-ready copies of `items` with their source offsets (see `Doc.source_span`)."""
    ready_items = []
    for item in items:
        source_start, source_end = source_span(item["start"], item["end"])
        # Most spans hold only plain values and need no conversion (tokens: text, offsets, pos).
        if PLAIN_TYPES.issuperset(map(type, item.values())):
            ready = {**item, "source_start": source_start, "source_end": source_end}
        else:
            ready = json_ready(item)
            ready["source_start"], ready["source_end"] = source_start, source_end
        ready_items.append(ready)
    return ready_items


def nested_source_offsets(source_span: SourceSpan, value: Any) -> Any:
    """`value` with source offsets added to every span (a dict with text, start, end)
    nested in it, such as a fact's predicate, subject and time."""
    if isinstance(value, list):
        return [nested_source_offsets(source_span, item) for item in value]
    if not isinstance(value, dict):
        return value
    ready = {key: nested_source_offsets(source_span, item) for key, item in value.items()}
    if {"text", "start", "end"} <= ready.keys():
        ready["source_start"], ready["source_end"] = source_span(ready["start"], ready["end"])
    return ready


def nested_spans(value: Any) -> list[dict[str, Any]]:
    """Every span (a dict with text, start and end) nested in `value`."""
    if isinstance(value, list):
        return [span for item in value for span in nested_spans(item)]
    if not isinstance(value, dict):
        return []
    found = [value] if {"text", "start", "end"} <= value.keys() else []
    return found + [span for item in value.values() for span in nested_spans(item)]


def json_ready(value: Any) -> Any:
    """Convert Decimals (recursively) to exact JSON numbers."""
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(item) for item in value]
    return value


def json_number(value: Decimal) -> int | float | str:
    """An integral Decimal becomes an int (exact at any size); otherwise a float when the
    float's shortest repr is the same decimal, else the exact decimal string."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return format(value.normalize(), "f")


def dumps(record: dict[str, Any]) -> str:
    """Deterministic JSON text for a record: one top-level field per line and one span per
    line, so records stay readable and diff well while staying compact."""
    compact = _compact_encoder()
    lines = []
    for key, value in record.items():
        if isinstance(value, list) and value:
            items = ",\n".join([token_json(item) or compact(item) for item in value])
            lines.append(f"{compact(key)}: [\n{items}\n]")
        else:
            lines.append(f"{compact(key)}: {compact(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def token_json(item: Any) -> str | None:
    """`_compact(item)` for a token span, written by one format string (a record holds
    about one token per two characters); None for anything else."""
    if type(item) is not dict or tuple(item) != TOKEN_FIELDS:
        return None
    text, start, end, pos, source_start, source_end = item.values()
    if not (type(text) is type(pos) is str and type(start) is type(end) is int):
        return None
    if not type(source_start) is type(source_end) is int:
        return None
    return (
        f'{{"text": {_quoted(text)}, "start": {start}, "end": {end}, "pos": {_quoted(pos)}, '
        f'"source_start": {source_start}, "source_end": {source_end}}}'
    )


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _compact_encoder() -> Callable[[Any], str]:
    """`_compact`, with the C encoder that `json.dumps` builds on every call built once
    (a record has one call per span); `_compact` itself where there is no C encoder."""
    make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if make_encoder is None:
        return _compact
    settings = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
    encode = make_encoder(
        {},  # markers: catches circular references, as json.dumps does
        settings.default,
        json.encoder.encode_basestring,
        None,  # indent
        settings.key_separator,
        settings.item_separator,
        settings.sort_keys,
        settings.skipkeys,
        settings.allow_nan,
    )
    return lambda value: "".join(encode(value, 0))


def schema() -> dict[str, Any]:
    text = resources.files("zhextract").joinpath("schemas/record.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validate(record: dict[str, Any]) -> list[str]:
    """Schema errors plus offset-invariant errors; an empty list means the record is valid."""
    errors = [] if _passes_fast_check(record) else _schema_errors(record)
    errors.extend(offset_errors(record))
    return errors


def _passes_fast_check(record: dict[str, Any]) -> bool:
    """Whether the compiled validator of `jsonschema_rs` (optional: the dev extra installs
    it), about a hundred times faster on a record, finds it valid. A record it rejects, or
    every record without it, goes to `jsonschema`, which names each error."""
    validator = _fast_validator()
    return validator is not None and bool(validator.is_valid(record))


@cache
def _fast_validator() -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.validator_for(schema())


def _schema_errors(record: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in _validator().iter_errors(record)
    ]


@cache
def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(schema())


def offset_errors(record: dict[str, Any]) -> list[str]:
    text = record.get("text", "")
    errors = []
    for name in SPAN_LISTS:
        for index, item in enumerate(record.get(name, [])):
            start, end = item.get("start", -1), item.get("end", -1)
            if not 0 <= start <= end <= len(text):
                errors.append(f"{name}/{index}: bad offsets [{start}, {end})")
                continue
            for key in ("text", "heading"):
                if key in item and text[start:end] != item[key]:
                    errors.append(f"{name}/{index}: text[{start}:{end}] != {item[key]!r}")
    for index, fact in enumerate(record.get("facts", [])):
        for span in nested_spans(fact):
            start, end = span["start"], span["end"]
            if not (
                isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)
            ):
                errors.append(f"facts/{index}: bad offsets [{start}, {end})")
            elif text[start:end] != span["text"]:
                errors.append(f"facts/{index}: text[{start}:{end}] != {span['text']!r}")
    return errors
