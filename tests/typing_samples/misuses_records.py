"""Mistakes the record types let a user's mypy catch (each line is expected to fail)."""

from __future__ import annotations

import zhextract

record = zhextract.extract("日本將對美投資 1 兆美元。")
first = record.get("figures", [])[0]
total = first["value"] + 1  # a value may be a range or None
label_typo = [item for item in record.get("entities", []) if item["label"] == "PERSN"]
unknown_key = first["amount"]
