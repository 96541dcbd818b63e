"""Turn the bytes of an uploaded file into text: UTF-8 (with or without BOM) first, then the
single-byte encodings spreadsheet exports use (cp1252, latin-1, cp850), chosen by scoring.

Every byte decodes in latin-1 and nearly every one in cp1252 and cp850, so "decodes without
error" says nothing; instead each candidate is scored by what its non-ASCII characters look
like in its context: accented letters inside words score; a symbol inside a word, a lone
accented letter, box-drawing and control characters cost; typographic punctuation where
typography puts it (curly quotes around a word, an apostrophe inside one, a no-break space
between digit groups) scores for the decoding that reads it so. Ties go to cp1252, the Windows
default; cp850 (DOS) files are common from old point-of-sale systems. When no decoding reads
like names at all, the user is asked (`--encoding`), and `--encoding` always wins.

charset-normalizer (tried, 3.5) names cp1250 for both a cp1252 file of German names and the
cp850 sample export: on files with a few accented names its language model cannot tell the
Western code pages apart, which is the only question here, so it is not used.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from dashapp.importer.errors import ImportFileError, NeedsAnswer

SINGLE_BYTE = ("cp1252", "cp850", "latin-1")
_COMMON_LETTERS = set("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœšžÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒŠŽ")
_NEUTRAL = set("€£°§ºª")
_OPENING = set("“‘„«")
_CLOSING = set("”’»")
_SPACED = set("\u00a0\u202f–—…")
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


def decode_bytes(data: bytes, encoding: str | None = None) -> DecodedText:
    """Decode a CSV file's bytes (in `encoding` when given), or raise ImportFileError for
    empty, binary or undecidable content."""
    if encoding:
        return _checked(DecodedText(_given(data, encoding), encoding))
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
    score, _, best = max(candidates)
    if score < 0:
        raise NeedsAnswer(
            "The file is not UTF-8, and its accented characters read as garbage in cp1252, "
            "cp850 and latin-1 alike.",
            "--encoding",
            tuple(name for *_, name in sorted(candidates, reverse=True)),
        )
    return _checked(DecodedText(data.decode(best), best))


def _given(data: bytes, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ImportFileError(f"--encoding {encoding!r}: no such encoding") from None
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8") and data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    return _decode(data, encoding)


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
    if ch in _OPENING and not before.isalnum() and after.isalnum():
        return 1  # “Big
    if ch in _CLOSING and before.isalnum() and not after.isalnum():
        return 1  # Big”
    if ch == "’" and before.isalpha() and after.isalpha():
        return 1  # O’Brien, don’t
    if ch in _SPACED and not before.isalpha() and not after.isalpha():
        return 1  # "1 234", " – "
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
