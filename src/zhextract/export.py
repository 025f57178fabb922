"""`zhextract export`: write a run's entities, dates and figures as spans for NLP and
annotation tools.

Formats: spaCy DocBin (`.spacy`), displaCy manual-mode JSON, doccano JSONL, Label Studio tasks
JSON and CoNLL. Entities, dates (DATE, or TIME when the date has a time of day) and figures
become one list of labelled, non-overlapping spans per document, each with its value: the ISO
date of a date, the exact value, unit, counted noun and approximation of a figure.

Offsets are Python string indices (Unicode code points) into the record's text, as Label Studio
stores them (it counts code points since label-studio-frontend PR #308, which fixed offsets
after emoji). doccano's editor counts UTF-16 code units (JavaScript string indices; doccano
issue #2290), so doccano offsets are written in those units and `import-review` converts them
back. doccano and Label Studio tasks carry the record id, source path, sha256, date and
pipeline, so `zhextract import-review` can map a reviewed file back to records.
`csv` writes the figure facts instead, one row per fact.
"""

from __future__ import annotations

import bisect
import csv
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .doc import span_owners
from .outputs import load_records_from, record_title

# Label Studio matches results to the labelling config by these control/object tag names.
LS_FROM_NAME = "label"
LS_TO_NAME = "text"
# spaCy's CoNLL reader splits documents at exactly this line; its four columns set the
# column count of every token line (token, POS, value, NER tag).
DOCSTART = "-DOCSTART- -X- O O"
NO_VALUE = "_"
# Ties between spans of the same extent go to the earlier list: a date found both as a date
# and as a DATE figure is exported as the date, with its ISO value.
SPAN_SOURCES = ("entities", "dates", "figures")
# The values a span carries (`span._.NAME` in spaCy); dates fill `iso`, figures the rest.
SPAN_VALUES = ("value", "unit", "counted", "approx", "iso")
FIGURE_VALUES = ("value", "unit", "counted", "approx")
UPOS_TABLE = "export_data/upos.tsv"
# The record fields a task carries back to `import-review`.
TASK_FIELDS = ("record_id", "path", "sha256", "doc_date", "pipeline")


@dataclass(frozen=True)
class LabelledSpan:
    start: int
    end: int
    label: str
    text: str
    # The span's values (keys from SPAN_VALUES, None left out); not part of its identity.
    values: dict[str, Any] = field(default_factory=dict, compare=False)


def date_label(date: dict[str, Any]) -> str:
    """TIME for a date with a time of day (`2025-03-05T10:30`), else DATE."""
    value = date.get("value")
    return "TIME" if isinstance(value, str) and "T" in value else "DATE"


def span_values(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    if kind == "dates":
        return {"iso": item.get("value")}
    if kind == "figures":
        return {key: item.get(key) for key in FIGURE_VALUES}
    return {}


def candidate_spans(record: dict[str, Any]) -> list[LabelledSpan]:
    """Entities, dates and figures whose offsets and text agree with the record's text."""
    text = record.get("text", "")
    found = []
    for kind in SPAN_SOURCES:
        for item in record.get(kind) or []:
            start, end = item.get("start"), item.get("end")
            label = date_label(item) if kind == "dates" else item.get("label")
            if not (isinstance(start, int) and isinstance(end, int) and label):
                continue
            if (
                0 <= start < end <= len(text)
                and item.get("text", text[start:end]) == text[start:end]
            ):
                values = span_values(kind, item)
                found.append(LabelledSpan(start, end, str(label), text[start:end], values))
    return found


def value_text(span: LabelledSpan) -> str | None:
    """A span's value as one word: `2025-04`, `0.0281`, `3..5`; None when it has none."""
    if span.values.get("iso") is not None:
        return str(span.values["iso"])
    value = span.values.get("value")
    if value is None:
        return None
    if isinstance(value, list):
        return "..".join(str(part) for part in value)
    return str(value)


def value_note(span: LabelledSpan) -> str | None:
    """A span's values for a human reviewer: `iso 2025-04`, `value 0.0281; unit %`."""
    parts = [
        f"{key} {'..'.join(map(str, value)) if isinstance(value, list) else value}"
        for key, value in span.values.items()
        if value is not None
    ]
    if "iso" in span.values and span.values["iso"] is None:
        parts.append("iso unresolved")
    return "; ".join(parts) or None


def non_overlapping(spans: list[LabelledSpan], length: int) -> list[LabelledSpan]:
    """Keep the longest spans first (earlier sources first on ties); drop any that overlap."""
    order = sorted(enumerate(spans), key=lambda pair: (pair[1].start - pair[1].end, pair[0]))
    taken = bytearray(length)
    kept = []
    for _, span in order:
        if any(taken[span.start : span.end]):
            continue
        taken[span.start : span.end] = b"\x01" * (span.end - span.start)
        kept.append(span)
    return sorted(kept, key=lambda span: span.start)


def record_spans(record: dict[str, Any]) -> list[LabelledSpan]:
    """The exported spans of one record, sorted by start."""
    return non_overlapping(candidate_spans(record), len(record.get("text", "")))


@dataclass(frozen=True)
class Piece:
    """A token for export: a record token cut at span and sentence edges, or a whitespace run."""

    start: int
    end: int
    pos: str
    space: bool


def token_pieces(record: dict[str, Any], spans: list[LabelledSpan]) -> list[Piece]:
    """Pieces covering the whole text, so every span starts and ends on a piece edge.

    Text no record token covers is cut per character (Chinese has no spaces to cut at)."""
    text = record.get("text", "")
    tokens = record.get("tokens") or []
    owner = span_owners(len(text), ((token["start"], token["end"]) for token in tokens))
    cuts = {0, len(text)}
    for token in tokens:
        cuts.update((token["start"], token["end"]))
    for item in [*spans, *(record.get("sentences") or [])]:
        start, end = (
            (item.start, item.end)
            if isinstance(item, LabelledSpan)
            else (item["start"], item["end"])
        )
        cuts.update((start, end))
    for index, char in enumerate(text):
        if index and char.isspace() != text[index - 1].isspace():
            cuts.add(index)
        if owner[index] < 0 and not char.isspace():
            cuts.update((index, index + 1))
    edges = sorted(cuts)
    pieces = []
    for start, end in zip(edges, edges[1:]):
        token = owner[start]
        pos = str(tokens[token].get("pos", "")) if token >= 0 else ""
        pieces.append(Piece(start, end, pos, text[start].isspace()))
    return pieces


@cache
def upos_table() -> dict[str, str]:
    """jieba/ICTCLAS tag -> Universal POS, from export_data/upos.tsv."""
    text = resources.files("zhextract").joinpath(UPOS_TABLE).read_text("utf-8")
    table = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            tag, upos = line.split("\t")
            table[tag] = upos
    return table


def universal_pos(tag: str, surface: str) -> str:
    """The Universal POS of a token with jieba tag `tag`: the table's entry, else its first
    letter's; untagged and `x` tokens by their characters (PUNCT, SYM, NUM or X), and
    whitespace SPACE as spaCy tags it."""
    if surface.isspace():
        return "SPACE"
    table = upos_table()
    if tag and tag != "x":
        found = table.get(tag) or table.get(tag[0])
        if found:
            return found
    categories = {unicodedata.category(char)[0] for char in surface if not char.isspace()}
    for category, upos in (("P", "PUNCT"), ("S", "SYM"), ("N", "NUM")):
        if categories == {category}:
            return upos
    if categories <= {"P", "S"} and categories:
        return "PUNCT"
    return "X"


def bio_tags(pieces: list[Piece], spans: list[LabelledSpan]) -> list[str]:
    """IOB2 tag of each piece."""
    return [tag for tag, _ in piece_labels(pieces, spans)]


def piece_labels(pieces: list[Piece], spans: list[LabelledSpan]) -> list[tuple[str, str]]:
    """(IOB2 tag, value word or `_`) of each piece."""
    labels = [("O", NO_VALUE)] * len(pieces)
    starts = [piece.start for piece in pieces]
    for span in spans:
        value = value_text(span) or NO_VALUE
        first = bisect.bisect_left(starts, span.start)
        index = first
        while index < len(pieces) and pieces[index].end <= span.end:
            labels[index] = (("B-" if index == first else "I-") + span.label, value)
            index += 1
    return labels


def sentence_groups(record: dict[str, Any], pieces: list[Piece]) -> list[list[int]]:
    """Indices of non-space pieces grouped by the record sentence that holds them; pieces
    outside every sentence form groups of their own."""
    sentences = sorted((item["start"], item["end"]) for item in record.get("sentences") or [])
    starts = [start for start, _ in sentences]
    groups: list[list[int]] = []
    last_key: tuple[int, bool] | None = None
    for index, piece in enumerate(pieces):
        if piece.space:
            continue
        position = bisect.bisect_right(starts, piece.start) - 1
        inside = position >= 0 and piece.start < sentences[position][1]
        key = (position, inside)
        if key != last_key:
            groups.append([])
            last_key = key
        groups[-1].append(index)
    return groups


def to_conll(records: Iterable[dict[str, Any]]) -> str:
    """CoNLL-2003 style, four columns on every line: token, POS tag, value (ISO date or
    exact figure value, `_` for none) and IOB2 NER tag; a DOCSTART line per document and a
    blank line after each sentence."""
    lines: list[str] = []
    for record in records:
        text = record.get("text", "")
        spans = record_spans(record)
        pieces = token_pieces(record, spans)
        labels = piece_labels(pieces, spans)
        lines.extend([DOCSTART, ""])
        for group in sentence_groups(record, pieces):
            for position, index in enumerate(group):
                tag, value = labels[index]
                # A span cut by a sentence break restarts with B- so each sentence reads alone.
                if position == 0 and tag.startswith("I-"):
                    tag = "B-" + tag[2:]
                piece = pieces[index]
                lines.append(f"{text[piece.start : piece.end]} {piece.pos or 'x'} {value} {tag}")
            lines.append("")
    return "\n".join(lines) + ("\n" if lines else "")


def to_displacy(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """displaCy manual-mode input: [{text, ents: [{start, end, label, ...values}], title}]."""
    return [
        {
            "text": record.get("text", ""),
            "ents": [
                {"start": span.start, "end": span.end, "label": span.label, **span.values}
                for span in record_spans(record)
            ],
            "title": record_title(record),
        }
        for record in records
    ]


def task_meta(record: dict[str, Any]) -> dict[str, Any]:
    """What `import-review` needs to find or rebuild the record a task came from."""
    source = record.get("source") or {}
    return {
        "record_id": record.get("id"),
        "path": source.get("path"),
        "sha256": source.get("sha256"),
        "doc_date": record.get("doc_date"),
        "pipeline": record.get("pipeline"),
    }


def utf16_offsets(text: str) -> list[int]:
    """For each code point offset 0..len(text), the UTF-16 code unit offset."""
    offsets = [0] * (len(text) + 1)
    for index, char in enumerate(text):
        offsets[index + 1] = offsets[index] + (2 if ord(char) > 0xFFFF else 1)
    return offsets


def to_doccano(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """doccano sequence-labelling import lines: {text, label: [[start, end, label], ...],
    meta: {record_id, path, ..., values: [[start, end, value], ...]}}, offsets in UTF-16
    code units as doccano's editor counts them."""
    rows = []
    for record in records:
        text = record.get("text", "")
        units = utf16_offsets(text)
        spans = record_spans(record)
        meta = task_meta(record)
        meta["values"] = [
            [units[span.start], units[span.end], value_text(span)]
            for span in spans
            if value_text(span) is not None
        ]
        rows.append(
            {
                "text": text,
                "label": [[units[span.start], units[span.end], span.label] for span in spans],
                "meta": meta,
            }
        )
    return rows


def to_label_studio(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Label Studio tasks with the spans as pre-annotations (predictions); each region's
    values are in its `meta.text` note (shown in the region's panel)."""
    tasks = []
    for number, record in enumerate(records, start=1):
        record_id = str(record.get("id") or number)
        result = [
            _label_studio_region(f"{record_id}-{index}", span)
            for index, span in enumerate(record_spans(record))
        ]
        pipeline = record.get("pipeline") or {}
        data: dict[str, Any] = {LS_TO_NAME: record.get("text", ""), "title": record_title(record)}
        data.update(task_meta(record), record_id=record_id)
        tasks.append(
            {
                "data": data,
                "predictions": [{"model_version": _model_version(pipeline), "result": result}],
            }
        )
    return tasks


def _label_studio_region(region_id: str, span: LabelledSpan) -> dict[str, Any]:
    region: dict[str, Any] = {
        "id": region_id,
        "from_name": LS_FROM_NAME,
        "to_name": LS_TO_NAME,
        "type": "labels",
        "value": {
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "labels": [span.label],
        },
    }
    note = value_note(span)
    if note is not None:
        region["meta"] = {"text": [note]}
    return region


def _model_version(pipeline: dict[str, Any]) -> str:
    return f"zhextract:{pipeline.get('name', '?')}:{pipeline.get('version', '?')}"


def label_studio_config(labels: list[str]) -> str:
    """A labelling config whose tag names match the exported predictions."""
    choices = "\n".join(f'    <Label value="{label}"/>' for label in labels)
    return (
        "<View>\n"
        f'  <Labels name="{LS_FROM_NAME}" toName="{LS_TO_NAME}">\n{choices}\n  </Labels>\n'
        f'  <Text name="{LS_TO_NAME}" value="${LS_TO_NAME}"/>\n'
        "</View>\n"
    )


def register_span_extensions() -> None:
    """Register `Span._.value`, `._.unit`, `._.counted`, `._.approx` and `._.iso` (default
    None). Call it before reading spans of a loaded DocBin: the values travel in each Doc's
    user_data, keyed by the span's character offsets, and these extensions read them there."""
    from spacy.tokens import Span

    for name in SPAN_VALUES:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def to_docbin(records: Iterable[dict[str, Any]]) -> Any:
    """A spaCy DocBin: one Doc per record whose text is the record's text, with ents (their
    values in `span._.value` ... `span._.iso`), sentence starts, the segmenter's tags in
    `token.tag_` and Universal POS in `token.pos_`, and the record id/title/path in user_data."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    register_span_extensions()
    vocab = Vocab()
    docbin = DocBin(
        attrs=["ORTH", "TAG", "POS", "SENT_START", "ENT_IOB", "ENT_TYPE"], store_user_data=True
    )
    for record in records:
        docbin.add(_spacy_doc(vocab, record))
    return docbin


def _spacy_doc(vocab: Any, record: dict[str, Any]) -> Any:
    from spacy.tokens import Doc

    text = record.get("text", "")
    spans = record_spans(record)
    pieces = token_pieces(record, spans)
    doc = Doc(
        vocab,
        words=[text[piece.start : piece.end] for piece in pieces],
        spaces=[False] * len(pieces),
    )
    sentence_starts = {item["start"] for item in record.get("sentences") or []}
    for token, piece in zip(doc, pieces):
        token.tag_ = piece.pos
        token.pos_ = universal_pos(piece.pos, token.text)
        if sentence_starts:
            token.is_sent_start = piece.start in sentence_starts or token.i == 0
    ents = []
    for span in spans:
        entity = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
        if entity is None:  # token_pieces cuts at every span edge, so this means a bug there
            raise ValueError(f"span [{span.start}, {span.end}) is not on token edges")
        for name, value in span.values.items():
            if value is not None:
                entity._.set(name, value)
        ents.append(entity)
    doc.ents = ents
    source = record.get("source") or {}
    doc.user_data.update(
        {"id": record.get("id"), "title": record_title(record), "path": source.get("path")}
    )
    return doc


def _write_json(data: Any, dest: Path) -> None:
    dest.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_jsonl(rows: list[dict[str, Any]], dest: Path) -> None:
    dest.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )


def write_spacy(records: list[dict[str, Any]], dest: Path) -> None:
    to_docbin(records).to_disk(dest)


def write_displacy(records: list[dict[str, Any]], dest: Path) -> None:
    _write_json(to_displacy(records), dest)


def write_doccano(records: list[dict[str, Any]], dest: Path) -> None:
    _write_jsonl(to_doccano(records), dest)


def write_label_studio(records: list[dict[str, Any]], dest: Path) -> None:
    """The tasks file, plus `<dest stem>.label_config.xml` to create the matching project."""
    _write_json(to_label_studio(records), dest)
    labels = sorted({span.label for record in records for span in record_spans(record)})
    config_path = label_studio_config_path(dest)
    config_path.write_text(label_studio_config(labels), encoding="utf-8")


def label_studio_config_path(dest: Path) -> Path:
    return dest.with_name(dest.stem + ".label_config.xml")


def write_conll(records: list[dict[str, Any]], dest: Path) -> None:
    dest.write_text(to_conll(records), encoding="utf-8")


FACT_COLUMNS = (
    "document", "path", "figure", "label", "value", "unit", "subject", "predicate", "lemma",
    "class", "object", "time", "time_value", "direction", "from", "to", "polarity",
    "modality", "speaker", "figure_start", "figure_end",
)  # fmt: skip


def fact_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per fact (subject -> predicate -> object, figure, time) for spreadsheets."""
    rows = []
    for record in records:
        for fact in record.get("facts", []):
            figure = record["figures"][fact["figure"]]
            change = fact["change"] or {}
            reported = fact["reported"] or {}
            value = figure.get("value")
            rows.append(
                {
                    "document": record.get("id"),
                    "path": record.get("source", {}).get("path"),
                    "figure": figure["text"],
                    "label": figure.get("label"),
                    "value": json.dumps(value) if isinstance(value, list) else value,
                    "unit": figure.get("unit"),
                    "subject": _party_name(fact["subject"]),
                    "predicate": fact["predicate"]["text"],
                    "lemma": fact["predicate"]["lemma"],
                    "class": fact["predicate"]["class"],
                    "object": _party_name(fact["object"]),
                    "time": (fact["time"] or {}).get("text"),
                    "time_value": (fact["time"] or {}).get("value"),
                    "direction": change.get("direction"),
                    "from": (change.get("from") or {}).get("text"),
                    "to": (change.get("to") or {}).get("text"),
                    "polarity": fact["polarity"],
                    "modality": fact["modality"],
                    "speaker": _party_name(reported.get("speaker")),
                    "figure_start": figure["start"],
                    "figure_end": figure["end"],
                }
            )
    return rows


def _party_name(party: dict[str, Any] | None) -> str | None:
    return None if party is None else party.get("name") or party["text"]


def write_csv(records: list[dict[str, Any]], dest: Path) -> None:
    """The facts as CSV, UTF-8 with a BOM so that spreadsheet programs read the Chinese."""
    with dest.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FACT_COLUMNS)
        writer.writeheader()
        writer.writerows(fact_rows(records))


WRITERS: dict[str, Callable[[list[dict[str, Any]], Path], None]] = {
    "spacy": write_spacy,
    "displacy": write_displacy,
    "doccano": write_doccano,
    "label-studio": write_label_studio,
    "conll": write_conll,
    "csv": write_csv,
}
FORMATS = tuple(WRITERS)


def export_outputs(source: Path, fmt: str, dest: Path) -> int:
    """Write every record in `source` (a run's folder, a record file or a records.jsonl)
    to `dest` in format `fmt`; exit code 0 on success."""
    writer = WRITERS.get(fmt)
    if writer is None:
        print(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}", file=sys.stderr)
        return 1
    outputs = load_records_from(source)
    if outputs is None:
        print(f"{source}: no such file or directory", file=sys.stderr)
        return 1
    for path, error in outputs.unreadable:
        print(f"{path}: skipped, {error}", file=sys.stderr)
    if not outputs.records:
        print(f"{source}: no records to export", file=sys.stderr)
        return 1
    records = [loaded.record for loaded in outputs.records]
    if fmt == "spacy" and not _spacy_available():
        print("export --format spacy needs spaCy: pip install 'spacy>=3.7,<3.9'", file=sys.stderr)
        return 1
    if (
        source.is_dir()
        and dest.suffix == ".json"
        and dest.resolve().is_relative_to(source.resolve())
    ):
        print(
            f"note: {dest} is inside {source}; later reads of it will take it for a record",
            file=sys.stderr,
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    writer(records, dest)
    (_report_facts if fmt == "csv" else _report)(records, dest)
    return 0


def _spacy_available() -> bool:
    try:
        import spacy  # noqa: F401
    except ImportError:
        return False
    return True


def _report_facts(records: list[dict[str, Any]], dest: Path) -> None:
    count = sum(len(record.get("facts", [])) for record in records)
    print(f"wrote {len(records)} document(s), {count} fact(s) to {dest}", file=sys.stderr)


def _report(records: list[dict[str, Any]], dest: Path) -> None:
    exported = sum(len(record_spans(record)) for record in records)
    dropped = sum(len(candidate_spans(record)) for record in records) - exported
    print(
        f"wrote {len(records)} document(s), {exported} span(s) to {dest}"
        + (f" ({dropped} overlapping span(s) left out)" if dropped else ""),
        file=sys.stderr,
    )
