"""Text as the personal-data detector reads it: what a person sees, not how it is encoded.

Text pasted from Word, a PDF or a phone carries characters a reader does not notice: zero-width
spaces and soft hyphens between digits, fullwidth or mathematical digits, dashes and bullets of
every kind. Someone hiding a BSN from the guard uses the same characters. :func:`normalise`
turns all of them into the plain form the detector's patterns know, and remembers for every
character where it came from, so that a finding points at what the user typed.

Pure: no Flask, no database.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

#: Characters that reorder the text on screen (embeddings, overrides, isolates): a page could
#: show something other than what is stored, so stored text may not hold them.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # embeddings, overrides, isolates
    "\u200e\u200f\u061c"  # the marks: they reorder neutral characters and digits around them
)
#: Format characters (zero-width spaces, joiners, soft hyphens, direction marks, BOM) and
#: combining marks, which only decorate the character before them ("7\u0301" is a 7).
_DROPPED = frozenset({"Cf", "Mn", "Mc", "Me"})
#: Characters that show as nothing or as a blank but are not format characters (Unicode's
#: default-ignorable letters and marks: Hangul fillers, variation selectors, the combining
#: grapheme joiner, Khmer inherent vowels), and the braille blank.
_INVISIBLE = frozenset(
    [
        *(0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0),
        *range(0x180B, 0x1810),
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
    ]
)
#: Separators the detector's patterns know between digit groups; any other run becomes "-".
_PLAIN_SEPARATORS = frozenset(" .-/")
#: Marks with a meaning of their own between numbers, which the patterns read as such: a
#: decimal comma ("12,5 uur", "€ 1.234,56"), the colon of a time ("09:00-17:00"), the
#: brackets and plus of a phone number ("+31 (0)6"), a percentage or an amount.
_MEANINGFUL = frozenset(",:()+%€")
#: Dots and bullets people put between groups of a number, besides dashes.
_BULLETS = frozenset("\u00b7\u2022\u2027\u2219\u22c5\u2212")
#: A longer run of punctuation between two numbers separates two things, not digit groups.
_MAX_SEPARATOR_RUN = 5


@dataclass(frozen=True)
class NormalisedText:
    text: str
    #: For each character of ``text``, the index of the source character it came from.
    origin: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text back to the span of the source text."""
        return self.origin[start], self.origin[end - 1] + 1


def has_bidi_controls(text: str) -> bool:
    """Tell whether text holds characters that change the displayed order of the text."""
    return any(char in BIDI_CONTROLS for char in text)


def normalise(text: str) -> NormalisedText:
    """NFKC, format characters removed, every digit ASCII, one separator between digit groups."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if unicodedata.category(char) in _DROPPED or ord(char) in _INVISIBLE:
            continue  # zero-width spaces and joiners, soft hyphens, marks on characters, BOM
        for plain in unicodedata.normalize("NFKC", char):
            if unicodedata.category(plain) == "Nd" and not plain.isascii():
                plain = str(unicodedata.decimal(plain))
            chars.append(plain)
            origin.append(index)
    return _join_digit_groups(chars, origin)


def _join_digit_groups(chars: list[str], origin: list[int]) -> NormalisedText:
    """Replace each short run of non-alphanumeric characters between two groups of a number
    by one plain separator: a space for blanks, the character itself for . - /, else a dash.
    Between digits any run counts ("123•456"); between a digit and a letter only dashes and
    bullets ("NL52 ASNB" written with an en dash)."""
    out: list[str] = []
    out_origin: list[int] = []
    index = 0
    while index < len(chars):
        char = chars[index]
        if char.isalnum() or not out or not out[-1].isalnum():
            out.append(char)
            out_origin.append(origin[index])
            index += 1
            continue
        end = index
        while end < len(chars) and not chars[end].isalnum():
            end += 1
        run = chars[index:end]
        between_digits = out[-1].isdigit() and end < len(chars) and chars[end].isdigit()
        joins = (
            end < len(chars)
            and chars[end].isalnum()
            and (between_digits or ((out[-1].isdigit() or chars[end].isdigit()) and _dashes(run)))
            and len(run) <= _MAX_SEPARATOR_RUN
            and "\n" not in run
            and "\r" not in run
            and not _MEANINGFUL.intersection(run)
        )
        if not joins:
            out.extend(run)
            out_origin.extend(origin[index:end])
        else:
            out.append(_separator(run))
            out_origin.append(origin[index])
        index = end
    return NormalisedText("".join(out), tuple(out_origin))


def _dashes(run: list[str]) -> bool:
    """Whether a run is only dashes, bullets and blanks: between the letter and digit groups
    of an account number (an IBAN grouped with en dashes), never an "@", apostrophe or quote."""
    visible = [char for char in run if not char.isspace()]
    return bool(visible) and all(
        unicodedata.category(char) == "Pd" or char in _BULLETS for char in visible
    )


def _separator(run: list[str]) -> str:
    visible = [char for char in run if not char.isspace()]
    if not visible:
        return " "
    if len(set(visible)) == 1 and visible[0] in _PLAIN_SEPARATORS:
        return visible[0]  # "06 - 12345678", "3 / 4 / 1990"
    return "-"
