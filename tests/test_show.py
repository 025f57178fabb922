"""The terminal view of records (`zhextract show`)."""

from __future__ import annotations

import zhextract
from zhextract.show import render


def test_control_characters_in_a_record_are_escaped_not_sent_to_the_terminal() -> None:
    record = zhextract.load("fast")("標題\x1b[31m紅字\n第二行\u202e反轉")
    shown = render(dict(record), colour=False)
    assert "\x1b" not in shown and "\u202e" not in shown
    assert "\\x1b[31m" in shown and "\\u202e" in shown
    assert "\n第二行" in shown  # line breaks stay


def test_plain_text_is_shown_as_it_is() -> None:
    record = zhextract.load("fast")("這份報告說明預算。\n之後再議。")
    shown = render(dict(record), colour=False)
    assert "這份報告說明預算。\n之後再議。" in shown
