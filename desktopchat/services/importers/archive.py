"""Reading an archive as downloaded, without trusting it.

Nothing is extracted to disk: only `conversations.json` is read, from memory, so a path in
the archive names nothing on this machine. What could exhaust memory is refused before it
is read: more entries than any export has, a `conversations.json` that says (or turns out
while read) to be larger than MAX_JSON_BYTES, a compression ratio no text reaches (a zip
bomb), JSON nested deeper than Python can parse.

A ratio and a size per entry are not enough: a 5.5 MB zip under the ratio inflates to 1 GiB
of JSON, and one emoji in it makes Python's text of it 4 bytes a character (4 GiB). So an
import also has one `Budget` for all it reads, inflates and keeps (the bytes, the text they
decode to, the attachments read beside a Markdown export), spent as it goes and refused with
a clear sentence the moment it would be passed, before the memory is taken.
"""

from __future__ import annotations

import contextlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktopchat.services.importers.tree import ImportProblem

MAX_IMPORT_BYTES = 2 << 30
"""2 GiB: all one import may read, inflate and hold at once (a heavy user's ChatGPT export,
~200 MB with emoji, spends ~1 GB)."""
MAX_JSON_BYTES = 1 << 30
"""1 GiB: the largest `conversations.json` read (a heavy user's ChatGPT export is ~200 MB)."""
MAX_ENTRIES = 200_000
MAX_RATIO = 200
"""Text JSON compresses ~5–20×; a ratio beyond this is a bomb, not an export."""
_CHUNK = 1 << 20
CONVERSATIONS = "conversations.json"


class Budget:
    """What one import may read, inflate and hold, in bytes, spent as it goes."""

    def __init__(self, limit: int = MAX_IMPORT_BYTES) -> None:
        self.limit = limit
        self.spent = 0

    def spend(self, amount: int, what: str) -> None:
        """Count `amount` more bytes; ImportProblem (nothing spent) past the limit."""
        if self.spent + amount > self.limit:
            raise ImportProblem(
                f"{what} would take the import past {self.limit:,} bytes read and held"
            )
        self.spent += amount

    def refund(self, amount: int) -> None:
        """Bytes let go of (read, decoded, then dropped)."""
        self.spent = max(self.spent - amount, 0)


def text_bytes(data: bytes | bytearray) -> int:
    """At most how many bytes Python's text of UTF-8 `data` takes: as many characters as
    bytes at most, each 1, 2 or 4 bytes wide as the widest character requires (one emoji
    makes the whole text 4 bytes a character). Looked for with memchr-speed searches."""
    return len(data) * _width(data)


def _width(data: bytes | bytearray) -> int:
    if data.isascii():
        return 1
    if any(data.find(lead) >= 0 for lead in _FOUR_BYTE_LEADS):
        return 4
    return 2


_FOUR_BYTE_LEADS = tuple(bytes([lead]) for lead in range(0xF0, 0xF5))


def read_json_file(path: Path, *, limit: int = MAX_JSON_BYTES, budget: Budget | None = None) -> Any:
    """The JSON in a `.json` file or in the `conversations.json` of a `.zip`: a top-level
    list comes as a `JsonList`, read one element at a time (see there). Reading, inflating
    and decoding are spent from `budget` (a budget of its own when none is given)."""
    path = Path(path)
    budget = budget if budget is not None else Budget()
    if zipfile.is_zipfile(path):
        data: bytes | bytearray = _read_from_zip(path, limit, budget)
    else:
        size = path.stat().st_size
        if size > limit:
            raise ImportProblem(f"the file is larger than {limit:,} bytes")
        budget.spend(size, "reading the file")
        data = path.read_bytes()
    text = decoded(data, budget)
    budget.refund(len(data))
    del data
    return parse_text(text)


def decoded(data: bytes | bytearray, budget: Budget) -> str:
    """UTF-8 `data` as text, its size spent from `budget` before it is made."""
    budget.spend(text_bytes(data), "decoding the text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem("the file is not UTF-8 text") from None


def parse_json(data: bytes) -> Any:
    """The JSON value in `data`, a top-level list as a `JsonList`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem("the file is not UTF-8 text") from None
    del data
    return parse_text(text)


def parse_text(text: str) -> Any:
    """The JSON value in `text`, a top-level list as a `JsonList`."""
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


def _read_from_zip(path: Path, limit: int, budget: Budget) -> bytearray:
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
            return _read_capped(archive, entry, limit, budget)
    except zipfile.BadZipFile as error:
        raise ImportProblem(f"the archive is damaged ({error})") from None
    except (NotImplementedError, RuntimeError) as error:  # an unknown method, a password
        raise ImportProblem(f"the archive cannot be read ({error})") from None


def _read_capped(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int, budget: Budget | None = None
) -> bytearray:
    """The entry's bytes, stopping at `limit` whatever its header claimed, and as soon as
    the bytes with the text they will decode to would pass `budget`. The bytes are spent
    as inflated; what their text will take is only checked here (decoding spends it)."""
    budget = budget if budget is not None else Budget()
    data, total, width = bytearray(), 0, 1
    with archive.open(entry) as stream:
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > limit:
                raise ImportProblem(f"its {CONVERSATIONS} is larger than {limit:,} bytes")
            budget.spend(len(chunk), f"inflating its {CONVERSATIONS}")
            width = max(width, _width(chunk))
            if budget.spent + total * width > budget.limit:
                raise ImportProblem(
                    f"decoding its {CONVERSATIONS} would take the import past "
                    f"{budget.limit:,} bytes read and held"
                )
            data += chunk
    return data  # not bytes(data): that would be a second copy, for a moment
