"""Convert Baidu LAC's pretrained weights into the files `stages/ner/lac.py` reads.

    python -m zhextract.train lac-convert --lac DIR [--out DIR]

DIR is LAC's `lac_model` folder: inside the `lac` package from PyPI (LAC 2.1.2,
Apache-2.0), e.g. after `pip download --no-deps --no-build-isolation lac==2.1.2` and
unpacking, `LAC-2.1.2/LAC/lac_model`. Paddle is not needed: every file under `model/` is
a serialized Paddle LoDTensor, read here directly:

    uint32 version, uint64 LoD levels, per level (uint64 bytes, that many bytes),
    uint32 tensor version, int32 size of a TensorDesc protobuf (field 1: data type,
    field 2: dims), the protobuf, then the raw little-endian data.

Written: `embedding.npy` (float16), `network.npz` (float32 GRU, emission and CRF
weights), `units.txt` (the vocabulary in id order), `replacements.tsv`, `cut_words.txt`,
`tags.txt`, and the licence and notice.
"""

from __future__ import annotations

import argparse
import math
import struct
from pathlib import Path

import numpy as np

from ..stages.ner.lac import lac_path

FLOAT32 = 5  # Paddle's VarType.FP32
LAYERS = 2
# The model's files: fc_0/gru_0 forward and fc_1/gru_1 backward for layer 0, then
# fc_2/gru_2 and fc_3/gru_3 for layer 1; fc_4 gives the tag scores, crfw the CRF.
DIRECTIONS = ("forward", "backward")


def read_lod_tensor(path: Path) -> np.ndarray:
    """A float32 array from one Paddle LoDTensor file."""
    data = path.read_bytes()
    position = 4  # version
    (levels,) = struct.unpack_from("<Q", data, position)
    position += 8
    for _ in range(levels):
        (size,) = struct.unpack_from("<Q", data, position)
        position += 8 + size
    position += 4  # tensor version
    (desc_size,) = struct.unpack_from("<i", data, position)
    position += 4
    dtype, dims = _tensor_desc(data[position : position + desc_size])
    position += desc_size
    if dtype != FLOAT32:
        raise ValueError(f"{path}: data type {dtype}, expected float32 ({FLOAT32})")
    count = math.prod(dims)
    if position + 4 * count != len(data):
        raise ValueError(f"{path}: {len(data) - position} data bytes for dims {dims}")
    return np.frombuffer(data, dtype="<f4", count=count, offset=position).reshape(dims)


def _tensor_desc(message: bytes) -> tuple[int, list[int]]:
    """(data type, dims) of a TensorDesc protobuf; dims may be packed or not."""
    dtype, dims, position = -1, [], 0
    while position < len(message):
        key, position = _varint(message, position)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(message, position)
            if field == 1:
                dtype = value
            elif field == 2:
                dims.append(value)
        elif wire == 2:
            size, position = _varint(message, position)
            packed, position = message[position : position + size], position + size
            inner = 0
            while inner < len(packed):
                value, inner = _varint(packed, inner)
                dims.append(value)
        else:
            raise ValueError(f"unexpected protobuf wire type {wire}")
    return dtype, dims


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position


def network_arrays(model: Path) -> dict[str, np.ndarray]:
    """The GRU layers, emission layer and CRF under our names."""
    arrays: dict[str, np.ndarray] = {"layers": np.array(LAYERS)}
    for layer in range(LAYERS):
        for offset, direction in enumerate(DIRECTIONS):
            index = 2 * layer + offset
            fc_weight = read_lod_tensor(model / f"fc_{index}.w_0")
            fc_bias = read_lod_tensor(model / f"fc_{index}.b_0")
            gru_weight = read_lod_tensor(model / f"gru_{index}.w_0")
            gru_bias = read_lod_tensor(model / f"gru_{index}.b_0").reshape(-1)
            hidden = gru_weight.shape[0]
            # Paddle stores the GRU weight as one buffer: the (hidden, 2 * hidden) gate
            # matrix, then the (hidden, hidden) candidate matrix; not as column blocks.
            flat = gru_weight.reshape(-1)
            name = f"layer{layer}.{direction}"
            arrays[f"{name}.input_weight"] = fc_weight
            arrays[f"{name}.input_bias"] = fc_bias + gru_bias
            arrays[f"{name}.gate_weight"] = flat[: 2 * hidden * hidden].reshape(hidden, -1)
            arrays[f"{name}.state_weight"] = flat[2 * hidden * hidden :].reshape(hidden, -1)
    arrays["emission.weight"] = read_lod_tensor(model / f"fc_{2 * LAYERS}.w_0")
    arrays["emission.bias"] = read_lod_tensor(model / f"fc_{2 * LAYERS}.b_0")
    crf = read_lod_tensor(model / "crfw")  # rows: start, end, then tag-to-tag
    arrays["crf.start"], arrays["crf.end"], arrays["crf.transitions"] = crf[0], crf[1], crf[2:]
    return {name: np.asarray(value, dtype=np.float32).copy() for name, value in arrays.items()}


def _id_table(path: Path) -> list[str]:
    """Entries of an `id<TAB>text` file, in id order."""
    rows: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        parts = line.split("\t")
        if len(parts) == 2:
            rows[int(parts[0])] = parts[1]
    if sorted(rows) != list(range(len(rows))):
        raise ValueError(f"{path}: ids are not 0..{len(rows) - 1}")
    return [rows[index] for index in range(len(rows))]


def _tag_table(path: Path) -> list[str]:
    """Tag names by id; LAC's file names ids 16-21 and 34-35 twice (POS, then entity)
    and the later name is the one its decoder prints."""
    rows: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        parts = line.split("\t")
        if len(parts) == 2:
            rows[int(parts[0])] = parts[1]
    return [rows[index] for index in range(max(rows) + 1)]


def convert(lac_model: Path, out: Path) -> None:
    model, conf = lac_model / "model", lac_model / "conf"
    out.mkdir(parents=True, exist_ok=True)
    embedding = read_lod_tensor(model / "word_emb").astype(np.float16)
    np.save(out / "embedding.npy", embedding)
    cut_words, total = [], 0
    for line in (conf / "small_seg.dic").read_text(encoding="utf-8").split("\n"):
        if line.strip():
            word, count = line.split(" ")
            cut_words.append(word)
            total += int(count)
    arrays = network_arrays(model)
    arrays["cut.log_total"] = np.array(math.log(total))
    np.savez_compressed(out / "network.npz", **arrays)  # type: ignore[arg-type]
    _write_lines(out / "units.txt", _id_table(conf / "word.dic"))
    _write_lines(out / "tags.txt", _tag_table(conf / "tag.dic"))
    _write_lines(out / "cut_words.txt", cut_words)
    replacements = [
        line for line in (conf / "q2b.dic").read_text(encoding="utf-8").split("\n") if "\t" in line
    ]
    _write_lines(out / "replacements.tsv", replacements)


def _write_lines(path: Path, lines: list[str]) -> None:
    for line in lines:
        if "\n" in line:
            raise ValueError(f"{path.name}: an entry holds a line break: {line!r}")
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhextract.train lac-convert")
    parser.add_argument("--lac", type=Path, required=True, help="LAC's lac_model folder")
    parser.add_argument("--out", type=Path, default=lac_path(), help="where to write")
    args = parser.parse_args(argv)
    convert(args.lac, args.out)
    print(f"wrote {args.out}")
    return 0
