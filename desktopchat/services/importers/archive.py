"""Reading an archive as downloaded, without trusting it.

Nothing is extracted to disk: only `conversations.json` is read, from memory, so a path in
the archive names nothing on this machine. What could exhaust memory is refused before it
is read: more entries than any export has, a `conversations.json` that says (or turns out
while read) to be larger than MAX_JSON_BYTES, a compression ratio no text reaches (a zip
bomb), JSON nested deeper than Python can parse.
"""

from __future__ import annotations

import contextlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktopchat.services.importers.tree import ImportProblem

MAX_JSON_BYTES = 1 << 30
"""1 GiB: the largest `conversations.json` read (a heavy user's ChatGPT export is ~200 MB)."""
MAX_ENTRIES = 200_000
MAX_RATIO = 200
"""Text JSON compresses ~5–20×; a ratio beyond this is a bomb, not an export."""
_CHUNK = 1 << 20
CONVERSATIONS = "conversations.json"


def read_json_file(path: Path, *, limit: int = MAX_JSON_BYTES) -> Any:
    """The JSON in a `.json` file or in the `conversations.json` of a `.zip`: a top-level
    list comes as a `JsonList`, read one element at a time (see there)."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        data = _read_from_zip(path, limit)
    else:
        if path.stat().st_size > limit:
            raise ImportProblem(f"the file is larger than {limit:,} bytes")
        data = path.read_bytes()
    return parse_json(data)


def parse_json(data: bytes) -> Any:
    """The JSON value in `data`, a top-level list as a `JsonList`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem("the file is not UTF-8 text") from None
    del data
    start = _skip_space(text, 0)
    if text.startswith("[", start):
        return JsonList(text, start + 1)
    with _json_problems():
        return json.loads(text)


class JsonList:
    """The elements of a JSON array, decoded one at a time as they are iterated.

    Decoding a whole export at once holds the interpreter for one long json.loads call and
    keeps every node of every conversation alive at the same time, so the garbage
    collector's full passes over them take a quarter of a second each: the window's thread
    would stall that long. One conversation at a time, parsed and let go, keeps both short.
    """

    def __init__(self, text: str, position: int) -> None:
        self._text = text
        self._start = position
        self.position = position

    @property
    def fraction(self) -> float:
        """How much of the text has been read, 0 to 1."""
        return self.position / max(len(self._text), 1)

    def __iter__(self) -> Iterator[Any]:
        text = self._text
        with _json_problems():
            position = _skip_space(text, self._start)
            if text.startswith("]", position):
                self._check_end(position + 1)
                return
            while True:
                item, position = _DECODER.raw_decode(text, _skip_space(text, position))
                position = _skip_space(text, position)
                self.position = position
                yield item
                if text.startswith("]", position):
                    self._check_end(position + 1)
                    return
                if not text.startswith(",", position):
                    raise ValueError(f"expected ',' or ']' at character {position}")
                position += 1

    def _check_end(self, position: int) -> None:
        self.position = len(self._text)
        if _skip_space(self._text, position) != len(self._text):
            raise ValueError(f"extra data at character {position}")


@contextlib.contextmanager
def _json_problems() -> Iterator[None]:
    try:
        yield
    except RecursionError:
        raise ImportProblem("the JSON is nested too deeply") from None
    except ValueError as error:
        raise ImportProblem(f"the file is not valid JSON ({error})") from None


_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in _SPACE:
        position += 1
    return position


def _read_from_zip(path: Path, limit: int) -> bytes:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES:
                raise ImportProblem(f"the archive holds more than {MAX_ENTRIES:,} files")
            found = [e for e in entries if Path(e.filename).name == CONVERSATIONS]
            if not found:
                raise ImportProblem(f"the archive has no {CONVERSATIONS}")
            entry = min(found, key=lambda e: e.filename.count("/"))
            if entry.file_size > limit:
                raise ImportProblem(f"its {CONVERSATIONS} is larger than {limit:,} bytes")
            if entry.compress_size and entry.file_size / entry.compress_size > MAX_RATIO:
                raise ImportProblem("the archive is compressed beyond what text allows")
            return _read_capped(archive, entry, limit)
    except zipfile.BadZipFile as error:
        raise ImportProblem(f"the archive is damaged ({error})") from None
    except (NotImplementedError, RuntimeError) as error:  # an unknown method, a password
        raise ImportProblem(f"the archive cannot be read ({error})") from None


def _read_capped(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes:
    """The entry's bytes, stopping at `limit` whatever its header claimed."""
    chunks, total = [], 0
    with archive.open(entry) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise ImportProblem(f"its {CONVERSATIONS} is larger than {limit:,} bytes")
            chunks.append(chunk)
    return b"".join(chunks)
