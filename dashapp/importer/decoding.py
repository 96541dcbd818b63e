"""Turn the bytes of an uploaded file into text: UTF-8 (with or without BOM) first, then the
single-byte encodings spreadsheet exports use (cp1252, latin-1, cp850), chosen by scoring.

Every byte decodes in latin-1 and nearly every one in cp1252 and cp850, so "decodes without
error" says nothing; instead each candidate is scored by what its non-ASCII characters look
like in its context: accented letters inside words score; a symbol inside a word, a lone
accented letter, box-drawing and control characters cost. Ties go to cp1252, the Windows
default. cp850 (DOS) files are common from old point-of-sale systems.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from dashapp.importer.errors import ImportFileError

SINGLE_BYTE = ("cp1252", "cp850", "latin-1")
_COMMON_LETTERS = set("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœšžÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒŠŽ")
_NEUTRAL = set("€£°§ºª")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MAGIC = {
    b"PK\x03\x04": "a zip archive (an .xlsx workbook?); save it as CSV first",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel/Office document; save it as CSV first",
    b"\x89PNG": "a PNG image",
    b"\x1f\x8b": "a gzip archive; unpack it first",
}
_SCORE_SAMPLE = 5000


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def decode_bytes(data: bytes) -> DecodedText:
    """Decode a CSV file's bytes, or raise ImportFileError for empty or binary content."""
    if not data.strip():
        raise ImportFileError("The file is empty.")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise ImportFileError(f"This is not a CSV file: it looks like {what}.")
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _checked(DecodedText(_decode(data, name), "utf-16"))
    if b"\x00" in data[:65536]:
        raise ImportFileError("This is not a CSV text file: it contains binary data.")
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        return _checked(DecodedText(text, encoding))
    except UnicodeDecodeError:
        pass
    candidates = []
    for name in SINGLE_BYTE:
        try:
            candidates.append((_score(data.decode(name)), -SINGLE_BYTE.index(name), name))
        except UnicodeDecodeError:  # cp1252 leaves five bytes undefined
            continue
    _score_value, _, best = max(candidates)
    return _checked(DecodedText(data.decode(best), best))


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"The file cannot be read as {name} text: {exc.reason}.") from None


def _score(text: str) -> int:
    """How much the non-ASCII characters look like the letters of European names."""
    score = 0
    for n, match in enumerate(_NON_ASCII.finditer(text)):
        if n >= _SCORE_SAMPLE:
            break
        i = match.start()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        score += _char_score(match.group(), before, after)
    return score


def _char_score(ch: str, before: str, after: str) -> int:
    category = unicodedata.category(ch)
    if category == "Cc":
        return -20
    if ch in _COMMON_LETTERS:
        lone = not (before.isalpha() or after.isalpha())
        # Case flips inside a word ("JosÚ", "ôBig") come from the wrong code page.
        flipped = (ch.isupper() and before.islower()) or (ch.islower() and after.isupper())
        return -1 if lone or flipped else 2
    if category.startswith("L"):
        return 0
    if before.isalpha() and after.isalpha():
        return -2  # punctuation inside a word: "Berguvsv„gen" is cp850's "Berguvsvägen"
    return 0 if category[0] in "PZ" or ch in _NEUTRAL or category == "Sc" else -1


def _checked(decoded: DecodedText) -> DecodedText:
    # Control characters other than tab/CR/LF mean a binary or mangled file, not a CSV.
    head = decoded.text[:65536]
    controls = sum(1 for ch in head if ch < " " and ch not in "\t\r\n") + head.count("\x7f")
    if controls > max(2, len(head) // 200):
        raise ImportFileError("This is not a CSV text file: it contains binary data.")
    return decoded
