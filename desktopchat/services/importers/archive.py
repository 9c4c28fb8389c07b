"""Reading an archive as downloaded, without trusting it.

Nothing is extracted to disk: only `conversations.json` is read, from memory, so a path in
the archive names nothing on this machine. What could exhaust memory is refused before it
is read: more entries than any export has, a `conversations.json` that says (or turns out
while read) to be larger than MAX_JSON_BYTES, a compression ratio no text reaches (a zip
bomb), JSON nested deeper than Python can parse.
"""

from __future__ import annotations

import json
import zipfile
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
    """The JSON in a `.json` file or in the `conversations.json` of a `.zip`."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        data = _read_from_zip(path, limit)
    else:
        if path.stat().st_size > limit:
            raise ImportProblem(f"the file is larger than {limit:,} bytes")
        data = path.read_bytes()
    return parse_json(data)


def parse_json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportProblem("the file is not UTF-8 text") from None
    except RecursionError:
        raise ImportProblem("the JSON is nested too deeply") from None
    except ValueError as error:
        raise ImportProblem(f"the file is not valid JSON ({error})") from None


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
