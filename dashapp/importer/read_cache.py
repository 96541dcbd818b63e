"""Files read once and kept in this process, for a surface that reads the same file again and
again: the upload page reads a file when it arrives, again for every mapping or answer the
user changes, and once more to import it.

Each file's parsed rows (`ParsedFile`: decoded, split, each column's number evidence and date
values) are kept per encoding answer, so a changed mapping or answer only reads the rows; and
its last read (`ReadFile`), so the import of a file whose mapping and answers were just
checked reads nothing. A file is known by its path and its size and modification time (an
upload's token names its path), and at most `files` files are kept (the least recently used
go first). Reading never writes, and a ReadFile is not changed by loading it, so a kept one
serves a dry run and then the import.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from dashapp.importer.errors import ImportFileError
from dashapp.importer.options import ReadOptions
from dashapp.importer.pipeline import ParsedFile, Progress, ReadFile, parse_file, read_file

# The upload page takes up to 20 files at once; a 50k-line file's rows take some 60 MB.
KEPT_FILES = 20


class ReadCache:
    """Parsed files and their last read, by path (see the module docstring); thread-safe."""

    def __init__(self, files: int = KEPT_FILES) -> None:
        self.files = files
        self._lock = threading.Lock()
        # path -> (size and mtime, {encoding answer: ParsedFile}, (read key, ReadFile) or None)
        self._kept: OrderedDict[str, tuple[tuple, dict, tuple | None]] = OrderedDict()

    def parsed(
        self, path: Path, encoding: str | None = None, name: str | None = None
    ) -> ParsedFile:
        """The file at `path` parsed (decoded in `encoding` when given), from the cache or now;
        ImportFileError and NeedsAnswer as `parse_file` raises them."""
        stamp = _stamp(path)
        with self._lock:
            entry = self._entry(str(path), stamp)
            if entry is not None and encoding in entry[1]:
                return entry[1][encoding]
        parsed = parse_file(path, encoding, name=name)
        self.put(path, parsed, stamp)
        return parsed

    def put(self, path: Path, parsed: ParsedFile, stamp: tuple | None = None) -> None:
        """Keep `parsed` as the file at `path` (an upload parsed from its bytes, then saved)."""
        stamp = stamp or _stamp(path)
        with self._lock:
            entry = self._entry(str(path), stamp)
            if entry is None:
                entry = (stamp, {}, None)
                self._kept[str(path)] = entry
            entry[1][parsed.asked_encoding] = parsed
            while len(self._kept) > self.files:
                self._kept.popitem(last=False)

    def read(
        self,
        path: Path,
        mapping: dict[str, str] | None = None,
        options: ReadOptions | None = None,
        progress: bool | Progress = False,
        name: str | None = None,
    ) -> ReadFile:
        """`read_file` of the file at `path`, from its parsed rows; the same ReadFile again
        while the mapping, options and name stay the same."""
        options = options or ReadOptions()
        key = (tuple(sorted((mapping or {}).items())), options, name)
        stamp = _stamp(path)
        with self._lock:
            entry = self._entry(str(path), stamp)
            if entry is not None and entry[2] is not None and entry[2][0] == key:
                return entry[2][1]
        parsed = self.parsed(path, options.encoding, name)
        read = read_file(parsed, mapping or None, options, progress, name=name)
        with self._lock:
            entry = self._entry(str(path), stamp)
            if entry is not None:
                self._kept[str(path)] = (entry[0], entry[1], (key, read))
        return read

    def forget(self, path: Path) -> None:
        """Drop what is kept of the file at `path` (it was imported or discarded)."""
        with self._lock:
            self._kept.pop(str(path), None)

    def _entry(self, key: str, stamp: tuple) -> tuple | None:
        """The entry of a path whose file has not changed since (the most recent now)."""
        entry = self._kept.get(key)
        if entry is None:
            return None
        if entry[0] != stamp:
            del self._kept[key]
            return None
        self._kept.move_to_end(key)
        return entry


def _stamp(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        raise ImportFileError(f"No such file: {path}") from None
    return (st.st_size, st.st_mtime_ns)
