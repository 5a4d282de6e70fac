"""Fitting text into Telegram's limits, and what of a text counts as visible."""

from __future__ import annotations

import pytest

from services.text_fit import CAPTION_LIMIT, MESSAGE_LIMIT, split_text, trim, visible_length


def _paragraphs(count: int, words: int) -> str:
    return "\n\n".join(
        " ".join(f"абзац{p:03d}слово{w:03d}" for w in range(words)) for p in range(count)
    )


def test_a_long_text_is_split_at_paragraphs_in_order_and_nothing_is_lost() -> None:
    text = _paragraphs(40, 12)  # about 9 000 characters
    parts = split_text(text)
    assert len(parts) == 3 and all(len(part) <= MESSAGE_LIMIT for part in parts)
    assert "\n\n".join(parts) == text  # every cut fell on a paragraph break
    assert all(part.endswith("слово011") for part in parts)


def test_a_caption_takes_what_fits_and_the_rest_goes_in_messages() -> None:
    text = _paragraphs(40, 12)
    parts = split_text(text, MESSAGE_LIMIT, first_limit=CAPTION_LIMIT)
    assert len(parts[0]) <= CAPTION_LIMIT and all(len(p) <= MESSAGE_LIMIT for p in parts[1:])
    assert "\n\n".join(parts) == text


def test_a_word_longer_than_the_limit_is_cut_hard_and_a_short_text_stays_whole() -> None:
    assert split_text("x" * 10, 4) == ["xxxx", "xxxx", "xx"]
    assert split_text("коротко") == ["коротко"]
    assert split_text("") == [""]
    with pytest.raises(ValueError):
        split_text("x", 0)


@pytest.mark.parametrize(
    "text",
    [
        "\u200b" * 60,  # zero-width spaces
        "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f" * 10,  # joiners, marks, BOM
        " \u3164\u2800\u115f\t\n " * 10,  # fillers and blank Braille among whitespace
    ],
)
def test_invisible_and_format_characters_count_as_empty(text: str) -> None:
    assert visible_length(text) == 0
    assert trim(text) == ""


def test_visible_length_counts_letters_and_one_space_per_gap() -> None:
    assert visible_length("  два\u200b слова \n") == len("два слова")
    assert visible_length("а" + " " * 40 + "б") == 3  # padding is not content
    # A joiner inside an emoji stays in the text; only the ends are trimmed.
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert trim(f"\u200b{family}\u200b") == family
