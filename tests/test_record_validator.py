"""The compiled schema check (jsonschema_rs) agrees with jsonschema, which names errors:
`validate` trusts a record the compiled check passes, so it must never pass one that
jsonschema rejects."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

import zhextract
from zhextract import record as record_module

pytest.importorskip("jsonschema_rs")

TEXT = (
    "發布日期：2025-03-03\n\n經濟部今（3）日公布，1月外銷訂單金額達新臺幣1,234.5億元，"
    "年增12.5%。部長王美花表示，預計下週三與美方展開第17回合磋商。"
)

Mutation = Callable[[dict[str, Any]], None]
MUTATIONS: dict[str, Mutation] = {
    "valid as made": lambda record: None,
    "unknown top-level field": lambda record: record.update(extra=1),
    "missing text": lambda record: record.pop("text"),
    "id not hex": lambda record: record.update(id="ZZZZZZZZZZZZZZZZ"),
    "id with non-ASCII digits": lambda record: record.update(id="٠" * 16),
    "doc_date in another form": lambda record: record.update(doc_date="2025/03/03"),
    "doc_date with Arabic-Indic digits": lambda record: record.update(doc_date="٢٠٢٥-٠٣-٠٣"),
    "token pos not a string": lambda record: record["tokens"][0].update(pos=5),
    "token without end": lambda record: record["tokens"][0].pop("end"),
    "figure value a list of three": lambda record: record["figures"][0].update(value=[1, 2, 3]),
    "figure value a bad string": lambda record: record["figures"][0].update(value="1,5"),
    "date value free text": lambda record: record["dates"][0].update(value="next week"),
    "schema version a number": lambda record: record.update(schema_version=1.1),
    "warnings not strings": lambda record: record.update(warnings=[None]),
    "meta a list": lambda record: record.update(meta=[]),
}


@pytest.fixture(scope="module")
def made() -> dict[str, Any]:
    return dict(zhextract.extract(TEXT, doc_date="2025-03-03"))


# Python's `\d` takes any decimal digit, the compiled check's (ECMA) only 0-9: it rejects
# these, and jsonschema, asked next, has the last word.
STRICTER_ONLY_IN_THE_COMPILED_CHECK = {"doc_date with Arabic-Indic digits"}


@pytest.mark.parametrize("name", MUTATIONS)
def test_the_compiled_check_never_passes_what_jsonschema_rejects(
    made: dict[str, Any], name: str
) -> None:
    changed = copy.deepcopy(made)
    MUTATIONS[name](changed)
    named_errors = record_module._schema_errors(changed)
    fast = record_module._passes_fast_check(changed)
    valid = name in ("valid as made", *STRICTER_ONLY_IN_THE_COMPILED_CHECK)
    assert (not named_errors) == valid
    assert fast == (name == "valid as made")
    assert record_module.validate(changed)[: len(named_errors)] == named_errors
