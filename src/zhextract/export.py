"""`zhextract export`: write a run's entities and figures as spans for NLP and annotation tools.

Formats: spaCy DocBin (`.spacy`), displaCy manual-mode JSON, doccano JSONL, Label Studio tasks
JSON and CoNLL BIO. Entities and figures become one list of labelled, non-overlapping spans
per document; offsets are Python string indices (Unicode code points) into the record's text.
`csv` writes the figure facts instead, one row per fact.
"""

from __future__ import annotations

import bisect
import csv
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .doc import span_owners
from .outputs import load_outputs, record_title

# Label Studio matches results to the labelling config by these control/object tag names.
LS_FROM_NAME = "label"
LS_TO_NAME = "text"
DOCSTART = "-DOCSTART- -X- O O"
SPAN_SOURCES = ("entities", "figures")


@dataclass(frozen=True)
class LabelledSpan:
    start: int
    end: int
    label: str
    text: str


def candidate_spans(record: dict[str, Any]) -> list[LabelledSpan]:
    """Entities then figures whose offsets and text agree with the record's text."""
    text = record.get("text", "")
    found = []
    for name in SPAN_SOURCES:
        for item in record.get(name) or []:
            start, end, label = item.get("start"), item.get("end"), item.get("label")
            if not (isinstance(start, int) and isinstance(end, int) and label):
                continue
            if (
                0 <= start < end <= len(text)
                and item.get("text", text[start:end]) == text[start:end]
            ):
                found.append(LabelledSpan(start, end, str(label), text[start:end]))
    return found


def non_overlapping(spans: list[LabelledSpan], length: int) -> list[LabelledSpan]:
    """Keep the longest spans first (entities before figures on ties); drop any that overlap."""
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


def bio_tags(pieces: list[Piece], spans: list[LabelledSpan]) -> list[str]:
    """IOB2 tag of each piece."""
    tags = ["O"] * len(pieces)
    starts = [piece.start for piece in pieces]
    for span in spans:
        first = bisect.bisect_left(starts, span.start)
        index = first
        while index < len(pieces) and pieces[index].end <= span.end:
            tags[index] = ("B-" if index == first else "I-") + span.label
            index += 1
    return tags


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


def to_conll(records: list[dict[str, Any]]) -> str:
    """CoNLL-2003 style: a DOCSTART line per document, `token TAG` lines, blank line per sentence."""
    lines: list[str] = []
    for record in records:
        text = record.get("text", "")
        spans = record_spans(record)
        pieces = token_pieces(record, spans)
        tags = bio_tags(pieces, spans)
        lines.extend([DOCSTART, ""])
        for group in sentence_groups(record, pieces):
            for position, index in enumerate(group):
                tag = tags[index]
                # A span cut by a sentence break restarts with B- so each sentence reads alone.
                if position == 0 and tag.startswith("I-"):
                    tag = "B-" + tag[2:]
                lines.append(f"{text[pieces[index].start : pieces[index].end]} {tag}")
            lines.append("")
    return "\n".join(lines) + ("\n" if lines else "")


def to_displacy(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """displaCy manual-mode input: [{text, ents: [{start, end, label}], title}]."""
    return [
        {
            "text": record.get("text", ""),
            "ents": [
                {"start": span.start, "end": span.end, "label": span.label}
                for span in record_spans(record)
            ],
            "title": record_title(record),
        }
        for record in records
    ]


def to_doccano(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """doccano sequence-labelling import lines: {text, label: [[start, end, label], ...]}."""
    return [
        {
            "text": record.get("text", ""),
            "label": [[span.start, span.end, span.label] for span in record_spans(record)],
        }
        for record in records
    ]


def to_label_studio(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Label Studio tasks with the spans as pre-annotations (predictions)."""
    tasks = []
    for number, record in enumerate(records, start=1):
        record_id = str(record.get("id") or number)
        result = [
            {
                "id": f"{record_id}-{index}",
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
            for index, span in enumerate(record_spans(record))
        ]
        pipeline = record.get("pipeline") or {}
        tasks.append(
            {
                "data": {
                    LS_TO_NAME: record.get("text", ""),
                    "title": record_title(record),
                    "record_id": record_id,
                },
                "predictions": [{"model_version": _model_version(pipeline), "result": result}],
            }
        )
    return tasks


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


def to_docbin(records: list[dict[str, Any]]) -> Any:
    """A spaCy DocBin: one Doc per record whose text is the record's text, with ents,
    sentence starts, the segmenter's tags and the record id/title/path in user_data."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    vocab = Vocab()
    docbin = DocBin(
        attrs=["ORTH", "TAG", "SENT_START", "ENT_IOB", "ENT_TYPE"], store_user_data=True
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
        if sentence_starts:
            token.is_sent_start = piece.start in sentence_starts or token.i == 0
    ents = []
    for span in spans:
        entity = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
        if entity is None:  # token_pieces cuts at every span edge, so this means a bug there
            raise ValueError(f"span [{span.start}, {span.end}) is not on token edges")
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


def export_outputs(outdir: Path, fmt: str, dest: Path) -> int:
    """Write every record under `outdir` to `dest` in format `fmt`; exit code 0 on success."""
    writer = WRITERS.get(fmt)
    if writer is None:
        print(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}", file=sys.stderr)
        return 1
    if not outdir.is_dir():
        print(f"{outdir}: not a directory", file=sys.stderr)
        return 1
    outputs = load_outputs(outdir)
    for path, error in outputs.unreadable:
        print(f"{path}: skipped, {error}", file=sys.stderr)
    if not outputs.records:
        print(f"{outdir}: no records to export", file=sys.stderr)
        return 1
    records = [loaded.record for loaded in outputs.records]
    if fmt == "spacy" and not _spacy_available():
        print("export --format spacy needs spaCy: pip install 'spacy>=3.7,<3.9'", file=sys.stderr)
        return 1
    if dest.suffix == ".json" and dest.resolve().is_relative_to(outdir.resolve()):
        print(
            f"note: {dest} is inside {outdir}; later reads of it will take it for a record",
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
