"""jieba dictionaries adapted to Traditional text, built at first use and cached.

The segment stage cuts a Simplified *projection* of the text (one character to one
character), so every dictionary here is kept in that projected form. The "default"
dictionary is jieba's dict.txt plus OpenCC's Taiwan/Hong Kong phrase variants, plus our
own Taiwan/Hong Kong vocabulary, minus words the gold standards cut apart
(`segment_data/split_words.txt` and compounds of two dictionary words). The optional "trained" dictionary also restricts
jieba's words to those attested in the segmentation *training* data under the shared
evaluation folder (SIGHAN 2005 AS/CityU training word lists, UD GSD training tokens);
nothing from that data is committed, it is read only when present.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import math
import os
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

Entries = dict[str, tuple[int, str]]  # projected word -> (frequency, POS tag)

LEXICONS = ("default", "trained")
BUILD_VERSION = "2"
TABLE_VERSION = "2"  # 2: the payload follows a line with its SHA-256
TRAINED_WORD_FREQUENCY = 30
UNKNOWN_TAG = "n"
# First characters of function-word combinations whose split the trained lexicon learns
# from the UD GSD training tokens (determiners, negations, adverbs).
FUNCTION_CHARS = "一這那不每各最此該就還有未尚是也才很更只全兩幾其另本某"

FULLWIDTH_OFFSET = 0xFEE0
# The default dictionary drops compounds of this length or more, except words with these
# jieba tags: idiom, fixed expression, person, place and organisation names.
COMPOUND_MIN_LENGTH = 4
WHOLE_TAGS = frozenset({"i", "l", "nr", "ns", "nt"})

SIGHAN_GOLD = "segmentation/sighan2005_icwb2/gold"
TRAINING_WORD_LISTS = (
    f"{SIGHAN_GOLD}/as_training_words.utf8",
    f"{SIGHAN_GOLD}/cityu_training_words.utf8",
)
GSD_TRAINING_TOKENS = "ner/uner_chinese_gsd/zh_gsd-ud-train.iob2"


def cache_dir() -> Path:
    """Where built dictionaries live: $ZHEXTRACT_CACHE_DIR, else the user cache dir."""
    explicit = os.environ.get("ZHEXTRACT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zhextract"


def dictionary_path(lexicon: str = "default", eval_root: Path | None = None) -> Path:
    """Path of the built jieba dictionary for `lexicon`, building it when missing."""
    if lexicon not in LEXICONS:
        raise ValueError(f"unknown lexicon {lexicon!r}; known: {', '.join(LEXICONS)}")
    training_files = _training_files(eval_root) if lexicon == "trained" else []
    if lexicon == "trained" and not training_files:
        raise FileNotFoundError("the trained lexicon needs the shared evaluation training data")
    name = f"jieba-{lexicon}-{_build_key(lexicon, training_files)}.txt"
    for folder in _cache_folders():
        path = folder / name
        try:
            private_folder(folder)
            if path.is_file():
                return path
            _write_atomically(path, build_entries(training_files))
            return path
        except OSError:  # an unwritable or foreign cache dir: fall back to the next one
            continue
    raise OSError(f"cannot write the segmentation dictionary {name} to any cache dir")


def _cache_folders() -> list[Path]:
    """The user cache dir, then a folder of this user's own in the temp dir."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return [cache_dir(), Path(tempfile.gettempdir()) / f"zhextract-{user}"]


def private_folder(folder: Path) -> None:
    """Make `folder` (0700) or check the one there: a real folder (no link), owned by
    this user, that no one else may write; else OSError. Cached tables are loaded with
    `marshal`, so a folder another user can write to could change what we run."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = folder.lstat()
    if not stat.S_ISDIR(status.st_mode):
        raise OSError(f"cache folder {folder} is not a folder")
    if hasattr(os, "getuid"):
        if status.st_uid != os.getuid():
            raise OSError(f"cache folder {folder} belongs to another user")
        if status.st_mode & 0o077:
            os.chmod(folder, 0o700)


@dataclass(frozen=True)
class WordTable:
    """A built dictionary in the form the segmenter reads: jieba's prefix dictionary with
    each word's log probability worked out once, and the POS tags."""

    # Every word and every prefix of a word -> log(frequency / total), None for a prefix
    # that is no word (or a word of frequency 0).
    scores: dict[str, float | None]
    tags: dict[str, str]
    unknown: float  # the score of a character the dictionary lacks: log(1 / total)

    @classmethod
    def from_frequencies(
        cls, frequencies: Mapping[str, int], total: int, tags: dict[str, str]
    ) -> WordTable:
        """The table for jieba's `FREQ`-style counts (prefixes may be present with 0)."""
        log_total = math.log(total)
        scores: dict[str, float | None] = {}
        for word, frequency in frequencies.items():
            for end in range(1, len(word)):
                scores.setdefault(word[:end], None)
            # The same float jieba's route computes: log(frequency) - log(total).
            scores[word] = math.log(frequency) - log_total if frequency else scores.get(word)
        return cls(scores, tags, 0.0 - log_total)


def word_table(lexicon: str = "default") -> WordTable:
    """The `WordTable` of a lexicon, kept in a cache file beside its dictionary."""
    dictionary = dictionary_path(lexicon)
    # marshal's format may change between Python versions.
    name = f"{dictionary.stem}.table{TABLE_VERSION}-{sys.implementation.cache_tag}"
    path = dictionary.with_name(name)
    try:
        # loads() on the whole file: marshal.load() on a file object reads it in many
        # small pieces and takes several times as long.
        scores, tags, unknown = marshal.loads(verified_payload(path.read_bytes()))
        return WordTable(scores, tags, unknown)
    except (OSError, EOFError, ValueError, TypeError):
        table = read_word_table(dictionary)
    # An unwritable cache only costs the next process a rebuild.
    with contextlib.suppress(OSError):
        payload = marshal.dumps((table.scores, table.tags, table.unknown))
        _write_bytes_atomically(path, with_digest(payload))
    return table


def with_digest(payload: bytes) -> bytes:
    """`payload` after a line holding its SHA-256, as the table cache stores it."""
    return hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload


def verified_payload(content: bytes) -> bytes:
    """The payload of `with_digest` output; ValueError when it does not match its digest
    (a damaged or foreign file is rebuilt, never handed to `marshal`)."""
    digest, separator, payload = content.partition(b"\n")
    if not separator or hashlib.sha256(payload).hexdigest().encode("ascii") != digest:
        raise ValueError("cached table does not match its digest")
    return payload


def read_word_table(dictionary: Path) -> WordTable:
    """Parse a jieba dictionary ("word frequency tag" lines) as jieba itself does: a
    repeated word keeps its last line, and every line counts towards the total."""
    frequencies: dict[str, int] = {}
    tags: dict[str, str] = {}
    total = 0
    with dictionary.open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency, tag = line.split()
            frequencies[word] = int(frequency)
            total += int(frequency)
            tags[word] = tag
    return WordTable.from_frequencies(frequencies, total, tags)


def build_entries(training_files: list[Path] | None = None) -> Entries:
    """The projected dictionary; with training files, restricted to attested words."""
    entries = _jieba_entries()
    for word, frequency, tag in _opencc_variants(entries):
        entries.setdefault(word, (frequency, tag))
    for word in split_words():
        entries.pop(word, None)
    if training_files:
        entries = _restrict_to_training(entries, training_files)
    else:
        entries = _without_compounds(entries)
    for word, frequency, tag in own_words():
        entries[word] = (frequency, tag)
    return entries


@cache
def _t2s_table() -> dict[int, str]:
    """OpenCC's Traditional-to-Simplified character table, single characters only."""
    path = resources.files("opencc").joinpath("dictionary").joinpath("TSCharacters.txt")
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        if len(source) == 1 and len(target) == 1:
            table[ord(source)] = target
    return table


@cache
def _projection_table() -> dict[int, str]:
    # Full-width ASCII (Ａ, ３, ．) folds to ASCII so jieba keeps letter and digit runs whole.
    table = {code: chr(code - FULLWIDTH_OFFSET) for code in range(0xFF01, 0xFF5F)}
    table.update(_t2s_table())
    return table


def to_simplified(text: str) -> str:
    """Character-for-character Simplified projection: same length, same offsets."""
    return text.translate(_t2s_table())


def _without_compounds(entries: Entries) -> Entries:
    """Drop long words that are two dictionary words of 2+ characters (化學物質, 再生能源).

    The gold standards cut such compounds; idioms, fixed expressions and names stay.
    """

    def is_compound(word: str) -> bool:
        halves = ((word[:cut], word[cut:]) for cut in range(2, len(word) - 1))
        return any(head in entries and tail in entries for head, tail in halves)

    return {
        word: (frequency, tag)
        for word, (frequency, tag) in entries.items()
        if len(word) < COMPOUND_MIN_LENGTH or tag in WHOLE_TAGS or not is_compound(word)
    }


def project(text: str) -> str:
    """The text jieba sees: Simplified characters, ASCII for full-width ASCII; same length."""
    return text.translate(_projection_table())


@lru_cache(maxsize=2)
def project_document(text: str) -> str:
    """`project(text)`, kept for the last texts: the segment stage and the NER features
    both project the whole document."""
    return project(text)


@cache
def split_words() -> frozenset[str]:
    """Projected words the gold standards cut apart (our convention list)."""
    return frozenset(project(line) for line in _data_lines("split_words.txt"))


def own_words() -> list[tuple[str, int, str]]:
    """Our Taiwan/Hong Kong vocabulary, projected, as (word, frequency, tag)."""
    words = []
    for line in _data_lines("tw_hk_words.txt"):
        word, frequency, tag = line.split()
        words.append((project(word), int(frequency), tag))
    return words


def _data_lines(name: str) -> Iterator[str]:
    text = resources.files(__package__).joinpath("segment_data").joinpath(name).read_text("utf-8")
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield stripped


def _jieba_dict_file() -> Path:
    # Found without importing jieba, which costs a cold start a quarter of a second.
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed")
    return Path(spec.origin).parent / "dict.txt"


def _jieba_entries() -> Entries:
    entries: Entries = {}
    with _jieba_dict_file().open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency, tag = line.split()
            entries[word] = (int(frequency), tag)
    return entries


def _opencc_variants(entries: Entries) -> Iterator[tuple[str, int, str]]:
    """Taiwan/Hong Kong forms of jieba words from OpenCC's phrase tables (s2twp, s2hk).

    Each table maps a Traditional phrase to its regional form (U盤 -> 隨身碟); the
    regional word inherits the frequency and tag of the mainland word it replaces.
    """
    for table in ("TWPhrases.txt", "HKVariantsPhrases.txt"):
        path = resources.files("opencc").joinpath("dictionary").joinpath(table)
        for line in path.read_text(encoding="utf-8").splitlines():
            source, _, targets = line.partition("\t")
            if source not in entries and project(source) not in entries:
                continue
            frequency, tag = entries.get(source) or entries[project(source)]
            for target in targets.split():
                yield project(target), frequency, tag


def _training_files(eval_root: Path | None) -> list[Path]:
    if eval_root is None:
        from ..eval import eval_dir

        eval_root = eval_dir()
    if eval_root is None:
        return []
    names = (*TRAINING_WORD_LISTS, GSD_TRAINING_TOKENS)
    files = [eval_root / name for name in names]
    return files if all(file.is_file() for file in files) else []


def _restrict_to_training(entries: Entries, training_files: list[Path]) -> Entries:
    """Keep single characters and attested words; add attested words jieba lacks."""
    word_lists, gsd_file = training_files[:-1], training_files[-1]
    gsd_sentences = list(_iob2_sentences(gsd_file))
    attested = {project(word) for file in word_lists for word in _word_list(file)}
    attested.update(project(word) for sentence in gsd_sentences for word in sentence)
    # Number words ("9月", "95年") are left to jieba's digit runs: the gold standards
    # disagree on them, and whitespace cannot sit in a dictionary line.
    attested = {word for word in attested if word.split() == [word] and not _has_digit(word)}
    split_apart = _function_words_split_in(gsd_sentences)
    kept = {
        word: value
        for word, value in entries.items()
        if (len(word) == 1 or word in attested) and word not in split_apart
    }
    for word in attested - split_apart - split_words():
        kept.setdefault(word, (TRAINED_WORD_FREQUENCY, UNKNOWN_TAG))
    return kept


def _has_digit(word: str) -> bool:
    return any(char.isdigit() for char in word)


def _word_list(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        # A dictionary line is "word frequency tag", so words cannot hold whitespace.
        if line.strip() and len(line.split()) == 1:
            yield line.strip()


def _iob2_sentences(path: Path) -> Iterator[list[str]]:
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if words:
                yield words
            words = []
            continue
        words.append(line.split("\t")[1])
    if words:
        yield words


def _function_words_split_in(sentences: Iterable[list[str]]) -> set[str]:
    """Function-word combinations cut apart more often than kept whole in the gold."""
    kept_whole: Counter[str] = Counter()
    cut_apart: Counter[str] = Counter()
    starts = set(project(FUNCTION_CHARS))
    for sentence in sentences:
        text = project("".join(sentence))
        boundaries, position = set(), 0
        for word in sentence:
            kept_whole[project(word)] += 1
            position += len(word)
            boundaries.add(position)
        for start, char in enumerate(text):
            if char not in starts:
                continue
            for end in range(start + 2, min(start + 5, len(text)) + 1):
                if any(inner in boundaries for inner in range(start + 1, end)):
                    cut_apart[text[start:end]] += 1
    return {word for word, count in cut_apart.items() if count > kept_whole[word]}


def _build_key(lexicon: str, training_files: list[Path]) -> str:
    digest = hashlib.sha256(f"{BUILD_VERSION}:{lexicon}".encode())
    jieba_dict = _jieba_dict_file().stat()
    digest.update(f"{jieba_dict.st_size}:{jieba_dict.st_mtime_ns}".encode())
    for name in ("split_words.txt", "tw_hk_words.txt"):
        digest.update(
            resources.files(__package__).joinpath("segment_data").joinpath(name).read_bytes()
        )
    for file in training_files:
        status = file.stat()
        digest.update(f"{file}:{status.st_size}:{status.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _write_atomically(path: Path, entries: Entries) -> None:
    lines = (f"{word} {frequency} {tag}\n" for word, (frequency, tag) in entries.items())
    _write_bytes_atomically(path, "".join(lines).encode("utf-8"))


def _write_bytes_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_bytes(content)
    partial.replace(path)
