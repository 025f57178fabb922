"""Load stage: turn a file's bytes into text.

Plain text (.txt, .md) is decoded as it is; an HTML page (.html, .htm) is decoded, then
reduced to its main text by trafilatura (navigation, footers and other boilerplate go),
one line per title or paragraph, with its byline kept and its date and author in
`Source.meta` (see `reading_html`); a Word file (.docx, .odt) gives its paragraphs,
headings and table rows one per line, its title and headings marked by style in
`Source.marks` (see `reading_word`); a PDF (.pdf) gives its text layer through pypdf, a
form feed at each page end (the normalize stage drops running headers, footers and
page numbers there and repairs the line layout).

Encodings: byte-order marks decide first; bytes with NULs are UTF-16 without a BOM when
they decode to text, else binary; then strict UTF-8; then charset-normalizer, asked about
the Chinese legacy encodings (Big5/CP950/GB18030) before anything else, because a
general guess on short Big5 or GB text can land on UTF-16 without a BOM, Shift-JIS or
Korean, all of which also decode it.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from .doc import Source
from .reading_html import page_extras, with_byline
from .reading_word import WordFileError, docx_text, is_docx, is_odt, odt_text

# Longest mark first: the UTF-32 LE mark starts with the UTF-16 LE one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CHINESE_ENCODINGS = ["big5", "cp950", "gb18030", "big5hkscs"]
PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
# C0/C1 controls except the ones plain text carries: \t \n \v \f \r (pdftotext
# writes a form feed at every page end).
BINARY_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
MAX_CONTROL_SHARE = 0.1
# Bad bytes in a UTF-8 file that are replaced (U+FFFD) rather than rejecting the file:
# a few, or one in a thousand, among many good multi-byte characters.
MIN_REPLACED_BYTES = 4
MAX_REPLACED_SHARE = 0.001
MULTIBYTE_PER_REPLACED = 10
REPLACEMENT = "\ufffd"
# Characters of plausible Chinese text: whitespace, ASCII, CJK punctuation and ideographs,
# full-width forms. UTF-16 read from binary bytes gives mostly other characters.
TEXT_LIKE = re.compile("[\t\n\r\x20-\x7e\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2010-\u206f]")
MIN_TEXT_LIKE_SHARE = 0.95
# An HTML page's declared charset, looked for near the top as browsers do.
META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
CHARSET_SCAN_BYTES = 4096
# trafilatura grows faster than linearly (1.4 s at 1.25 MB, 7 s at 5 MB); news pages are
# well under 1 MB.
HTML_MAX_BYTES = 8_000_000
# Libraries whose log warnings about odd input would otherwise reach stderr.
QUIET_LOGGERS = ("pypdf", "trafilatura", "htmldate", "courlan", "justext")

TEXT, HTML, PDF, DOCX, ODT = "text", "html", "pdf", "docx", "odt"
KIND_BY_SUFFIX = {
    ".txt": TEXT,
    ".md": TEXT,
    ".html": HTML,
    ".htm": HTML,
    ".pdf": PDF,
    ".docx": DOCX,
    ".odt": ODT,
}
SUPPORTED_SUFFIXES = tuple(KIND_BY_SUFFIX)


class DocumentError(ValueError):
    """A file that cannot be read as a text document; the message is one line."""


class EmptyDocumentError(DocumentError):
    def __init__(self, message: str = "empty file") -> None:
        super().__init__(message)


class BinaryDocumentError(DocumentError):
    def __init__(self, detail: str = "") -> None:
        super().__init__("binary file (not text)" + (f": {detail}" if detail else ""))


class UnknownEncodingError(DocumentError):
    def __init__(self) -> None:
        super().__init__("unknown text encoding (not UTF-8, UTF-16, Big5 or GB18030)")


class UnsupportedTypeError(DocumentError):
    def __init__(self, suffix: str) -> None:
        expected = ", ".join(SUPPORTED_SUFFIXES)
        super().__init__(f"unsupported file type {suffix or '(none)'!r} (expected {expected})")


def kind_of(path: str | Path) -> str:
    """ "text", "html", "pdf", "docx" or "odt" by the file's suffix; UnsupportedTypeError
    otherwise."""
    suffix = Path(path).suffix
    kind = KIND_BY_SUFFIX.get(suffix.lower())
    if kind is None:
        raise UnsupportedTypeError(suffix)
    return kind


def sniff_kind(data: bytes) -> str:
    """The kind of nameless input (standard input) from its first bytes."""
    head = data[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return PDF
    if is_docx(data):
        return DOCX
    if is_odt(data):
        return ODT
    if head.startswith((b"<!doctype html", b"<html")):
        return HTML
    return TEXT


def read_path(path: str | Path) -> tuple[str, Source]:
    """Text and `Source` of the file at `path`; DocumentError when it is not a readable
    document of a supported type."""
    kind = kind_of(path)
    return read_document(read_file_bytes(path), str(path), kind)


def read_file_bytes(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise DocumentError("is a directory") from None
    except OSError as error:
        raise DocumentError(f"cannot read file: {error.strerror or error}") from None


def read_document(data: bytes, path: str | None, kind: str) -> tuple[str, Source]:
    """Text and Source of `data` read as `kind` ("text", "html", "pdf", "docx", "odt")."""
    readers: dict[str, Callable[[bytes, str | None], tuple[str, Source]]] = {
        TEXT: read_bytes,
        HTML: read_html_bytes,
        PDF: read_pdf_bytes,
        DOCX: read_docx_bytes,
        ODT: read_odt_bytes,
    }
    return readers[kind](data, path)


def read_bytes(data: bytes, path: str | None) -> tuple[str, Source]:
    """Decode `data`; the Source records `path`, the bytes' SHA-256 and the encoding used."""
    if not data:
        raise EmptyDocumentError()
    text, encoding, replaced = _decode(data)
    _check_is_text(text)
    if not text.strip():
        raise EmptyDocumentError("empty file (only whitespace)" if text else "empty file")
    warnings = (
        (f"{replaced} byte(s) not valid {encoding} replaced with U+FFFD",) if replaced else ()
    )
    digest = hashlib.sha256(data).hexdigest()
    return text, Source(path=path, sha256=digest, encoding=encoding, warnings=warnings)


def read_html_bytes(data: bytes, path: str | None) -> tuple[str, Source]:
    """The main text of an HTML page: title and paragraphs one per line, boilerplate gone."""
    if not data.strip():
        raise EmptyDocumentError()
    if len(data) > HTML_MAX_BYTES:
        raise DocumentError(
            f"HTML page of {len(data):,} bytes is over the limit of {HTML_MAX_BYTES:,} "
            "(finding the main text takes more than linear time); save its text as .txt"
        )
    markup, encoding = _decode_html(data)
    _check_is_text(markup)
    with _quiet_libraries():
        extras = page_extras(markup)
    text = with_byline(html_main_text(markup if extras.tree is None else extras.tree), extras)
    digest = hashlib.sha256(data).hexdigest()
    return text, Source(path, digest, encoding, meta=extras.meta)


def html_main_text(markup: str | Any) -> str:
    """The main text of a page, given as markup or as a tree parsed by trafilatura."""
    import trafilatura

    with _quiet_libraries():
        try:
            text = trafilatura.extract(
                markup, include_comments=False, include_tables=True, deduplicate=False
            )
        except Exception as error:  # lxml and trafilatura raise many kinds on broken markup
            raise DocumentError(_one_line(f"cannot parse HTML: {error}")) from None
    if not text or not text.strip():
        raise DocumentError("no main text found in the HTML page")
    return text


def _decode_html(data: bytes) -> tuple[str, str]:
    """A BOM first, then the page's declared charset when it decodes the page, then the
    same detection as plain text (pages often declare the wrong charset or none)."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return _strict_decode(data, encoding), encoding
    declared = META_CHARSET.search(data[:CHARSET_SCAN_BYTES])
    if declared is not None:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
            if _is_ascii_compatible(encoding):
                return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass
    text, encoding, _ = _decode(data)
    return text, encoding


def read_pdf_bytes(data: bytes, path: str | None) -> tuple[str, Source]:
    """The text layer of a PDF, each page ending with a line break and a form feed (as
    pdftotext writes it), so the normalize stage can find the running headers, footers
    and page numbers at the page breaks."""
    if not data:
        raise EmptyDocumentError()
    pages = pdf_page_texts(data)
    # pypdf ends most pages with a line break; one is enough.
    text = "".join(page.rstrip("\n") + "\n\f" for page in pages)
    if not text.strip():
        raise DocumentError("no text layer (scanned PDF?)")
    _check_is_text(text)
    return text, Source(path=path, sha256=hashlib.sha256(data).hexdigest(), encoding="pdf")


def read_docx_bytes(data: bytes, path: str | None) -> tuple[str, Source]:
    """A .docx file's paragraphs, headings and table rows, one per line."""
    return _read_word(data, path, docx_text, "docx")


def read_odt_bytes(data: bytes, path: str | None) -> tuple[str, Source]:
    """An .odt file's paragraphs, headings and table rows, one per line."""
    return _read_word(data, path, odt_text, "odt")


def _read_word(
    data: bytes,
    path: str | None,
    reader: Callable[[bytes], tuple[str, list[tuple[int, int, str]]]],
    encoding: str,
) -> tuple[str, Source]:
    if not data:
        raise EmptyDocumentError()
    try:
        with _quiet_libraries():
            text, marks = reader(data)
    except WordFileError as error:
        raise DocumentError(_one_line(str(error))) from None
    if not text.strip():
        raise DocumentError(f"no text in the .{encoding} file")
    _check_is_text(text)
    digest = hashlib.sha256(data).hexdigest()
    return text, Source(path, digest, encoding, marks=marks)


def pdf_page_texts(data: bytes) -> list[str]:
    from pypdf import PdfReader

    with _quiet_libraries():
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise DocumentError("encrypted PDF (needs a password)")
            return [page.extract_text() or "" for page in reader.pages]
        except DocumentError:
            raise
        except Exception as error:  # pypdf raises many kinds on damaged files
            message = f"not a readable PDF: {type(error).__name__}: {error}"
            raise DocumentError(_one_line(message)) from None


@contextmanager
def _quiet_libraries() -> Iterator[None]:
    """Keep the libraries' warnings about odd input off stderr: a bad file is reported
    as one error line, and recoverable oddities are not errors."""
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _decode(data: bytes) -> tuple[str, str, int]:
    """Text, encoding and the number of bytes replaced with U+FFFD."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return _strict_decode(data, encoding), encoding, 0
    if b"\x00" in data:
        with suppress(BinaryDocumentError):
            return (*_utf16_without_bom(data), 0)
        # A few stray NULs in otherwise good UTF-8 text: each becomes U+FFFD.
        repaired = _mostly_utf8(data.replace(b"\x00", b"\xff"))
        too_many = data.count(0) > max(MIN_REPLACED_BYTES, MAX_REPLACED_SHARE * len(data))
        if repaired is None or too_many:
            raise BinaryDocumentError("contains NUL bytes")
        return repaired[0], "utf-8", repaired[1]
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    repaired = _mostly_utf8(data)
    if repaired is not None:
        return repaired[0], "utf-8", repaired[1]
    encoding = detect_encoding(data)
    return _strict_decode(data, encoding), encoding, 0


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 text with a few bad bytes (a damaged byte, a last character cut off) decoded
    with each bad sequence as one U+FFFD, and the number of bad bytes; None when the bad
    bytes are too many, or the good part holds too few multi-byte characters to tell it
    from a legacy encoding (Big5 text is almost never valid UTF-8 for long)."""
    budget = max(MIN_REPLACED_BYTES, int(MAX_REPLACED_SHARE * len(data)))
    parts: list[str] = []
    replaced = position = 0
    while True:
        try:
            parts.append(data[position:].decode("utf-8"))
            break
        except UnicodeDecodeError as error:
            parts.append(data[position : position + error.start].decode("utf-8"))
            parts.append(REPLACEMENT)
            replaced += error.end - error.start
            position += error.end
            if replaced > budget:
                return None
    text = "".join(parts)
    replacements = (len(parts) - 1) // 2
    non_ascii = len(text) - len(text.encode("ascii", "ignore")) - replacements
    return (text, replaced) if non_ascii >= MULTIBYTE_PER_REPLACED * replacements else None


def _utf16_without_bom(data: bytes) -> tuple[str, str]:
    """UTF-16 text without a BOM: its ASCII characters (line breaks, digits) put NUL bytes
    on one side of each pair, the odd side for little-endian. Anything else with NUL bytes
    is binary."""
    odd_nuls = data[1::2].count(0)
    even_nuls = data[0::2].count(0)
    encoding = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    if len(data) % 2 == 0:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = ""
        text_like = len(TEXT_LIKE.findall(text))
        if text and "\x00" not in text and text_like >= MIN_TEXT_LIKE_SHARE * len(text):
            return text, encoding
    raise BinaryDocumentError("contains NUL bytes")


def _strict_decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DocumentError(f"invalid {encoding} at byte {error.start}") from None


def detect_encoding(data: bytes) -> str:
    """Normalized codec name (e.g. "big5", "gb18030") charset-normalizer finds for `data`."""
    from charset_normalizer import from_bytes

    chinese = list(from_bytes(data, cp_isolation=CHINESE_ENCODINGS))
    # HKSCS only adds rare characters, so on a tie it is more often GB text misread.
    chinese.sort(key=lambda match: (match.chaos, match.encoding == "big5hkscs"))
    if chinese:
        return codecs.lookup(chinese[0].encoding).name
    for match in from_bytes(data):
        if _is_ascii_compatible(match.encoding):
            return codecs.lookup(match.encoding).name
    raise UnknownEncodingError()


def _is_ascii_compatible(encoding: str) -> bool:
    """False for UTF-16/32 without a BOM (they "decode" almost any even-length bytes) and
    for EBCDIC, which tiny samples are sometimes guessed as."""
    return PRINTABLE_ASCII.decode(encoding, errors="replace") == PRINTABLE_ASCII.decode("ascii")


def _check_is_text(text: str) -> None:
    if "\x00" in text:
        raise BinaryDocumentError("contains NUL characters")
    controls = sum(1 for _ in BINARY_CONTROL.finditer(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise BinaryDocumentError("mostly control characters")
