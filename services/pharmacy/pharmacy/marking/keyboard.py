"""Undoing a scanner that "typed" a marking code in the Russian keyboard layout.

A keyboard-wedge scanner sends key codes, not characters: when the workstation's active layout
is Russian (ЙЦУКЕН), every Latin letter of the code arrives as the Cyrillic letter on the same
key (``Q`` → ``Й``, ``d`` → ``в``) and several punctuation keys change too (``/`` → ``.``,
``?`` → ``,``, ``@`` → ``"``). Digits and ``! % * ( ) - _ = +`` sit on the same keys in both
layouts and arrive unchanged.

The mapping is applied to the WHOLE scan, and only when the scan holds at least one Cyrillic
letter: a marking code is ASCII (the GS1 82-character set), so a Cyrillic letter proves the
layout was Russian, and then every punctuation character was typed through it as well. A scan
without any letter (only digits and punctuation) cannot be told apart and is left as it is;
real drug codes always carry letters in the serial or the crypto code.

Caps Lock inverting the case is not undone: case matters in serials and crypto codes and
cannot be guessed.
"""

from __future__ import annotations

# Russian layout character → the US-QWERTY character of the same key (and shift state).
_LOWER_LETTERS = dict(
    zip("йцукенгшщзхъфывапролджэячсмитьбюё", "qwertyuiop[]asdfghjkl;'zxcvbnm,.`", strict=True)
)
_UPPER_LETTERS = dict(
    zip("ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ", 'QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~', strict=True)
)
# Punctuation whose key differs between the layouts (Russian → US).
_PUNCTUATION = {
    '"': "@",  # Shift+2
    "№": "#",  # Shift+3
    ";": "$",  # Shift+4
    ":": "^",  # Shift+6
    "?": "&",  # Shift+7
    ".": "/",  # the / key
    ",": "?",  # Shift+/
    "/": "|",  # Shift+\
}
RUSSIAN_TO_LATIN = str.maketrans({**_LOWER_LETTERS, **_UPPER_LETTERS, **_PUNCTUATION})


def has_cyrillic(text: str) -> bool:
    """The text holds a Cyrillic letter (the sign of a scan typed in the Russian layout)."""
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def from_russian_layout(text: str) -> str:
    """The scan as the US layout would have typed it, if it was typed in the Russian one.

    Text without Cyrillic letters is returned unchanged (see the module docstring).
    """
    if not has_cyrillic(text):
        return text
    return text.translate(RUSSIAN_TO_LATIN)


def to_russian_layout(text: str) -> str:
    """The inverse mapping (tests and demo data: what a Russian-layout wedge would send)."""
    inverse = {latin: russian for russian, latin in {**_LOWER_LETTERS, **_UPPER_LETTERS}.items()}
    inverse.update({latin: russian for russian, latin in _PUNCTUATION.items()})
    return "".join(inverse.get(ch, ch) for ch in text)
