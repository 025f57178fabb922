"""Load stage: turn a file's bytes into text, detecting its encoding.

Byte-order marks decide first; then strict UTF-8; then charset-normalizer, asked about
the Chinese legacy encodings (Big5/CP950/GB18030) before anything else, because a
general guess on short Big5 or GB text can land on UTF-16 without a BOM, Shift-JIS or
Korean, all of which also decode it.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from .doc import Source

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


def read_path(path: str | Path) -> tuple[str, Source]:
    """Text and `Source` of the file at `path`; DocumentError when it is not readable text."""
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise DocumentError("is a directory") from None
    except OSError as error:
        raise DocumentError(f"cannot read file: {error.strerror or error}") from None
    return read_bytes(data, str(path))


def read_bytes(data: bytes, path: str | None) -> tuple[str, Source]:
    """Decode `data`; the Source records `path`, the bytes' SHA-256 and the encoding used."""
    if not data:
        raise EmptyDocumentError()
    text, encoding = _decode(data)
    _check_is_text(text)
    if not text.strip():
        raise EmptyDocumentError("empty file (only whitespace)" if text else "empty file")
    return text, Source(path=path, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding)


def _decode(data: bytes) -> tuple[str, str]:
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return _strict_decode(data, encoding), encoding
    if b"\x00" in data:
        raise BinaryDocumentError("contains NUL bytes")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = detect_encoding(data)
    return _strict_decode(data, encoding), encoding


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
