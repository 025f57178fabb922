"""`python -m zhextract.eval figures`: the Microsoft Recognizers-Text Chinese specs.

Reads `numeric/recognizers_text/` under `zhextract.eval.eval_dir()` (exit 0 with a message
when absent) and prints a pass rate per model. Where the `recognizers-text-suite` package
is installed (dev only), its pass rate on the same cases, under the same definition, is
printed beside ours.

What "pass" means, per model (texts are compared after NFKC width folding with whitespace
removed; values as exact decimals, except that a gold value written with 15 or more
significant digits, a float artefact, is compared to 15 significant digits, and so is
ours):

- Number (NumberModel.json): a value test. A case passes when every gold span's text gets
  exactly the gold value: ours is `zhextract.parse_number(text)`; the package's is
  `recognize_number(text)` returning one result that covers the whole text. Cases without
  gold spans are not counted. Spans are not compared: our figures keep their units
  (`3個`), while this model extracts the bare numeral.
- Percent, Ordinal, Currency, Dimension: an extraction test through `zhextract.extract`.
  A case passes when the figures we find with the matching label (PERCENT, ORDINAL, MONEY,
  QUANTITY with a measure unit) are exactly the gold results: same texts and same values,
  and for Currency the same ISO code where the gold gives one. Our spans may keep what the
  specs leave out: a leading approximation word (`近一噸`), an ordinal's classifier
  (`第一名` for gold `第一`) and a rate's 每 words (`每股1.95港元`). Percent values compare
  as percentages (our ratio 0.05 is 5%; percentage points count as percent, as the spec
  does). Bare 元 is CNY here (the specs are
  mainland text): the pipeline runs with `yuan_currency = "CNY"`. It is otherwise the
  default pipeline, entities stage included, so a figure that an (erroneous) entity span
  overlaps is lost, as it would be in real use.
- The **extraction** column, every model: `zhextract.extract` on the case's input (the
  pipeline above); a case passes when the values of the figures found (Number: every
  figure, a range giving both its ends; Percent, Ordinal, Currency, Dimension: the label
  above) are exactly the gold values, texts aside (and for Currency the ISO codes).
  PERCENT values compare as percentages, percentage points too, as the spec does. Cases
  with no gold result count too: nothing may be found there. A case listed in
  `figures_exceptions.tsv` (beside this file) is decided wrong for Traditional Chinese
  news: it is left out of the rate, and printed with its reason.
- DateTime (DateTimeModel.json), measured the same way in both columns: gold results of type date,
  datetime, and daterange for a whole year or month (timex YYYY or YYYY-MM) are compared
  with our dates, resolved against the case's ReferenceDateTime (passed as doc_date with
  its time of day, which 2小时后 needs): same text, and our value
  is one of the gold values (a datetime as "YYYY-MM-DD HH:MM:00"; a year or month as its
  timex; "not resolved" in the gold matches our value None). A case passes when all of
  those gold results are matched and we report no date outside gold spans. A date is
  compared with the gold result at its own place, where our span may keep a leading bound
  word (從, 自, 截至) that the spec leaves out of some spans (從2015年起 has gold 2015年起)
  and keeps in others (自从2018年); a date inside a gold span of another type (a time
  range) is neither a hit nor an extra. Cases with neither are not counted. The parse
  column counts every case; the extraction column leaves out the set-aside list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from . import eval_dir

SPEC_DIR = Path("numeric", "recognizers_text")
MODEL_FILES = {
    "Number": "Number/Chinese/NumberModel.json",
    "Percent": "Number/Chinese/PercentModel.json",
    "Ordinal": "Number/Chinese/OrdinalModel.json",
    "Currency": "NumberWithUnit/Chinese/CurrencyModel.json",
    "Dimension": "NumberWithUnit/Chinese/DimensionModel.json",
    "DateTime": "DateTime/Chinese/DateTimeModel.json",
}
FIGURE_LABELS = {"Percent": "PERCENT", "Ordinal": "ORDINAL", "Currency": "MONEY"}
DATE_TYPES = ("datetimeV2.date", "datetimeV2.datetime", "datetimeV2.daterange")
FLOAT_DIGITS = 15

Item = tuple[str, str, str]  # (folded text, value key, currency code or "")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhextract.eval figures")
    parser.add_argument("--model", choices=sorted(MODEL_FILES), action="append")
    parser.add_argument("--show-failures", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    root = eval_dir()
    spec_root = root / SPEC_DIR if root else None
    if spec_root is None or not spec_root.is_dir():
        print("figures eval: numeric/recognizers_text data not found; skipped")
        return 0
    reference = _reference_package()
    print(f"{'model':<10} {'cases':>6} {'parse':>10} {'extraction':>16} {'package':>10}")
    for model in args.model or list(MODEL_FILES):
        path = spec_root / MODEL_FILES[model]
        if not path.is_file():
            print(f"{model:<10} missing {path.name}; skipped")
            continue
        cases = json.loads(path.read_text(encoding="utf-8"))
        _report(model, cases, reference, args.show_failures)
    return 0


def _report(model: str, cases: list[dict[str, Any]], reference: Any, show: int) -> None:
    ours = _score(model, cases, _our_system(model))
    theirs = _score(model, cases, reference(model)) if reference else None
    excepted = exceptions().get(model, {})
    kept = [case for case in cases if case["Input"] not in excepted]
    extracted = (
        _score(model, kept, _our_system(model))
        if model == "DateTime"
        else _score_extraction(model, kept)
    )
    other = f"{theirs[0] / theirs[1]:>9.1%}" if theirs and theirs[1] else f"{'-':>10}"
    parse = f"{ours[0] / ours[1]:>9.1%}" if ours[1] else f"{'-':>10}"
    share = f"{extracted[0] / extracted[1]:.1%} ({extracted[0]}/{extracted[1]})"
    print(f"{model:<10} {ours[1]:>6} {parse} {share:>17} {other}  ({ours[0]}/{ours[1]} parse)")
    if model != "DateTime":  # its misses are the extraction column's, printed below
        for failure in ours[2][:show]:
            print("   FAIL", failure)
    for failure in extracted[2][:show]:
        print("   MISS", failure)
    for text, reason in excepted.items():
        print(f"   SET ASIDE {text!r}: {reason}")


def _score_extraction(model: str, cases: list[dict[str, Any]]) -> tuple[int, int, list[str]]:
    passed, failures = 0, []
    for case in cases:
        gold = Counter((value, code) for _, value, code in _gold_items(model, case).elements())
        found = _our_values(model, case, gold)
        if found == gold:
            passed += 1
        else:
            failures.append(f"{case['Input'][:60]!r} gold={sorted(gold)} found={sorted(found)}")
    return passed, len(cases), failures


def exceptions() -> dict[str, dict[str, str]]:
    """Spec cases decided wrong for Traditional Chinese news: model -> input -> reason."""
    rows = (Path(__file__).parent / "figures_exceptions.tsv").read_text("utf-8").splitlines()
    table: dict[str, dict[str, str]] = {}
    for row in rows:
        if row.strip() and not row.startswith("#"):
            model, text, reason = row.split("\t")
            table.setdefault(model, {})[text.replace("\\n", "\n")] = reason
    return table


System = Callable[[dict[str, Any]], Counter[Item] | None]


def _score(model: str, cases: list[dict[str, Any]], system: System) -> tuple[int, int, list[str]]:
    passed, counted, failures = 0, 0, []
    for case in cases:
        gold = _gold_items(model, case)
        found = system(case)
        if found is None or (not gold and not found and model in ("Number", "DateTime")):
            continue
        counted += 1
        if found == gold:
            passed += 1
        else:
            failures.append(f"{case['Input'][:60]!r} gold={sorted(gold)} found={sorted(found)}")
    return passed, counted, failures


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def value_key(value: Any) -> str:
    """A comparable form of a value; gold floats with many digits are cut to 15 digits."""
    try:
        number = Decimal(str(value).rstrip("%"))
    except (InvalidOperation, ValueError):
        return str(value)
    if len(number.normalize().as_tuple().digits) >= FLOAT_DIGITS:
        return f"{number:.{FLOAT_DIGITS - 1}e}"
    return format(number.normalize(), "f")


def _gold_items(model: str, case: dict[str, Any]) -> Counter[Item]:
    items: Counter[Item] = Counter()
    for result in case["Results"]:
        if model == "DateTime":
            if result["TypeName"] in DATE_TYPES:
                items.update(_gold_date(result))
            continue
        resolution = result.get("Resolution") or {}
        code = resolution.get("isoCurrency") or "" if model == "Currency" else ""
        items[(fold(result["Text"]), value_key(resolution.get("value")), code)] += 1
    return items


def _gold_date(result: dict[str, Any]) -> list[Item]:
    values = result["Resolution"].get("values", [])
    if result["TypeName"] == "datetimeV2.daterange":
        timex = values[0].get("timex", "") if values else ""
        if not _is_whole_period(timex):
            return []
        return [(fold(result["Text"]), timex, "")]
    options = "|".join(sorted(str(value.get("value")) for value in values))
    return [(fold(result["Text"]), options, "")]


def _is_whole_period(timex: str) -> bool:
    return len(timex) in (4, 7) and timex[:4].isdigit() and (len(timex) == 4 or timex[5:].isdigit())


# --- zhextract -------------------------------------------------------------------------


def _our_system(model: str) -> System:
    if model == "Number":
        return _our_number
    if model == "DateTime":
        return _our_dates
    return lambda case: _our_figures(model, case)


def _our_number(case: dict[str, Any]) -> Counter[Item]:
    from zhextract import parse_number

    items: Counter[Item] = Counter()
    for result in case["Results"]:
        try:
            value = value_key(parse_number(result["Text"]))
        except ValueError:
            value = "ValueError"
        items[(fold(result["Text"]), value, "")] += 1
    return items


def _pipeline() -> Any:
    from zhextract.pipeline import Pipeline, read_spec

    spec = read_spec("default")
    stages = [
        (name, factory, settings | {"yuan_currency": "CNY"} if factory == "figures" else settings)
        for name, factory, settings in spec.stages
    ]
    spec.stages = stages
    return Pipeline(spec)


_PIPELINE: list[Any] = []


def _run(case: dict[str, Any]) -> dict[str, Any]:
    if not _PIPELINE:
        _PIPELINE.append(_pipeline())
    reference = (case.get("Context") or {}).get("ReferenceDateTime")
    doc_date = reference or None  # with its time of day, for 2小时后
    record: dict[str, Any] = _PIPELINE[0](case["Input"], doc_date=doc_date)
    return record


def _our_figures(model: str, case: dict[str, Any]) -> Counter[Item]:
    from zhextract.stages.figures.patterns import tables

    record = _run(case)
    items: Counter[Item] = Counter()
    measures = {word.unit for word in tables().units.values() if word.kind == "measure"}
    for figure in record["figures"]:
        wanted = FIGURE_LABELS.get(model, "QUANTITY")
        if figure["label"] != wanted or (model == "Dimension" and figure["unit"] not in measures):
            continue
        text = _comparable_text(case["Input"], figure, model)
        code = figure["unit"] if model == "Currency" else ""
        items[(text, _figure_value(figure, model), code)] += 1
    return _align_codes(items, _gold_items(model, case))


def _our_values(model: str, case: dict[str, Any], gold: Counter[tuple[str, str]]) -> Counter[Any]:
    """The values (and currency codes) of the figures `extract` finds in the input."""
    from zhextract.stages.figures.patterns import tables

    measures = {word.unit for word in tables().units.values() if word.kind == "measure"}
    uncoded = {value for value, code in gold if not code}
    found: Counter[Any] = Counter()
    for figure in _run(case)["figures"]:
        if figure["value"] is None and model != "Currency":
            continue  # a currency named with no amount is a Currency result
        if model != "Number" and figure["label"] != FIGURE_LABELS.get(model, "QUANTITY"):
            continue
        if model == "Dimension" and figure["unit"] not in measures:
            continue
        ends = figure["value"] if isinstance(figure["value"], list) else [figure["value"]]
        if model != "Number":
            ends = [figure["value"]]
        for end in ends:
            kind = "Percent" if figure["label"] == "PERCENT" else model
            value = _figure_value(figure | {"value": end}, kind) if end is not None else "None"
            code = figure["unit"] if model == "Currency" and value not in uncoded else ""
            found[(value, code)] += 1
    return found


def _comparable_text(source: str, figure: dict[str, Any], model: str) -> str:
    from zhextract.stages.figures.patterns import tables

    text = fold(source[figure["source_start"] : figure["source_end"]])
    if figure.get("per") and text.startswith("每"):
        text = re.sub(r"^(?:每[個个一]?(?:" + "|".join(figure["per"].split("/")) + "))+", "", text)
    if figure["approx"]:
        for word in sorted(tables().approx_before, key=len, reverse=True):
            if text.startswith(word):
                text = text[len(word) :]
                break
    if model == "Ordinal" and figure["unit"] and text.endswith(figure["unit"]):
        text = text[: -len(figure["unit"])]
    return text


def _figure_value(figure: dict[str, Any], model: str) -> str:
    value = figure["value"]
    if isinstance(value, list):
        return "-".join(value_key(item) for item in value)
    if model == "Percent":  # ratios, percentage points included
        return value_key(Decimal(str(value)) * 100)
    return value_key(value)


def _align_codes(found: Counter[Item], gold: Counter[Item]) -> Counter[Item]:
    """Where the gold gives no ISO code (bare $), any code of ours is accepted."""
    aligned: Counter[Item] = Counter()
    uncoded = {(text, value) for text, value, code in gold if not code}
    for (text, value, code), count in found.items():
        aligned[(text, value, "" if (text, value) in uncoded else code)] += count
    return aligned


def _our_dates(case: dict[str, Any]) -> Counter[Item]:
    """Our dates as gold items: a date is compared with the gold results at its own
    place; one lying inside a gold span of another kind (7月25日 in 7月25日早, a time
    range) is neither a hit nor an extra."""
    record = _run(case)
    results = case["Results"]
    items: Counter[Item] = Counter()
    for date in record["dates"]:
        start, end = date["source_start"], date["source_end"]
        if not any(result["Start"] == start for result in results):
            start += len(_bound_word(case["Input"], start, date))
        text = fold(case["Input"][start:end])
        here = Counter(
            item
            for result in results
            if (result["Start"], result["End"] + 1) == (start, end)
            and result["TypeName"] in DATE_TYPES
            for item in _gold_date(result)
        )
        match = _matching_gold(text, date["value"], here)
        if match is not None:
            items[match] += 1
        elif not any(result["Start"] <= start and end <= result["End"] + 1 for result in results):
            items[(text, str(date["value"]), "")] += 1  # a date the gold does not have
    return items


def _bound_word(source: str, start: int, date: dict[str, Any]) -> str:
    """The word (從, 自, 截至) our date span starts with when it bounds the date: the spec
    leaves it out of some spans (從2015年起 has gold 2015年起) and keeps it in others."""
    if "mod" not in date:
        return ""
    from ..stages.figures.dates import date_words

    words = sorted(date_words("mod_prefix"), key=len, reverse=True)
    return next((word for word in words if source.startswith(word, start)), "")


def _matching_gold(text: str, value: str | None, gold: Counter[Item]) -> Item | None:
    if value is None:  # both say the date cannot be resolved (2月30日)
        return next((item for item in gold if item[0] == text and item[1] == "not resolved"), None)
    candidates = {value, value.replace("T", " "), value.replace("T", " ") + ":00"}
    for item in gold:
        if item[0] == text and candidates & set(item[1].split("|")):
            return item
    return None


# --- the reference package -------------------------------------------------------------


def _reference_package() -> Callable[[str], System] | None:
    try:
        import recognizers_date_time  # noqa: F401
        import recognizers_number  # noqa: F401
        import recognizers_number_with_unit  # noqa: F401
    except ImportError:
        return None
    return _package_system


def _package_system(model: str) -> System:
    return lambda case: _package_items(model, case)


def _package_items(model: str, case: dict[str, Any]) -> Counter[Item] | None:
    import recognizers_number as number
    import recognizers_number_with_unit as with_unit
    from recognizers_text import Culture

    if model == "Number":
        return _package_number(case)
    if model == "DateTime":
        return _package_dates(case)
    recognize = {
        "Percent": number.recognize_percentage,
        "Ordinal": number.recognize_ordinal,
        "Currency": with_unit.recognize_currency,
        "Dimension": with_unit.recognize_dimension,
    }[model]
    try:
        results = recognize(case["Input"], Culture.Chinese)
    except Exception:  # the package raises on some inputs; that case simply fails
        return Counter({("<error>", "", ""): 1})
    items: Counter[Item] = Counter()
    for result in results:
        resolution = result.resolution or {}
        code = resolution.get("isoCurrency") or "" if model == "Currency" else ""
        items[(fold(result.text), value_key(resolution.get("value")), code)] += 1
    return items


def _package_number(case: dict[str, Any]) -> Counter[Item]:
    from recognizers_number import recognize_number
    from recognizers_text import Culture

    items: Counter[Item] = Counter()
    for gold in case["Results"]:
        try:
            results = recognize_number(gold["Text"], Culture.Chinese)
        except Exception:  # the package raises on some inputs
            results = []
        whole = [item for item in results if fold(item.text) == fold(gold["Text"])]
        value = value_key(whole[0].resolution.get("value")) if len(whole) == 1 else "none"
        items[(fold(gold["Text"]), value, "")] += 1
    return items


def _package_dates(case: dict[str, Any]) -> Counter[Item]:
    from recognizers_date_time import recognize_datetime
    from recognizers_text import Culture

    reference_text = (case.get("Context") or {}).get("ReferenceDateTime")
    reference = dt.datetime.fromisoformat(reference_text) if reference_text else dt.datetime.now()
    try:
        results = recognize_datetime(case["Input"], Culture.Chinese, reference=reference)
    except Exception:  # the package raises on some inputs
        return Counter({("<error>", "", ""): 1})
    items: Counter[Item] = Counter()
    for result in results:
        if result.type_name in DATE_TYPES:
            items.update(_gold_date({"Text": result.text, **_as_gold(result)}))
    return items


def _as_gold(result: Any) -> dict[str, Any]:
    return {"TypeName": result.type_name, "Resolution": result.resolution or {}}
