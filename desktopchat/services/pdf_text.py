"""PDF text extraction in a process of its own: `python -m desktopchat.services.pdf_text`.

A PDF is a program for a renderer: a hostile or broken one can make pdfium loop, eat
memory or crash. Here that costs a child process, which runs with a memory and CPU limit
and is killed after a timeout, never the window. The child prints one JSON object:
{"pages": n, "text": "…", "truncated": bool}, or {"error": "encrypted" | "damaged"}.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class PdfText:
    pages: int
    text: str
    truncated: bool
    """True when the text went past the characters asked for and was cut there."""


class PdfFailure(Exception):
    """The PDF could not be read: `reason` is "encrypted", "damaged" or "too_slow"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def extract(
    path: str, max_chars: int, *, seconds: float = 30.0, memory: int = 1024 * MB
) -> PdfText:
    """Run the child on `path` and read its answer (blocking: call it from a worker thread)."""
    # -P: the current folder is not put on the child's path, so a checkout the app happens to
    # be started in (a `desktopchat/` folder there) cannot stand in for the installed package;
    # the folder this package was imported from is put first instead.
    command = [sys.executable, "-P", "-m", __name__]
    command += [path, str(max_chars), str(memory), str(int(seconds))]
    package_root = str(Path(__file__).resolve().parents[2])
    inherited = os.environ.get("PYTHONPATH")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([package_root, inherited] if inherited else [package_root]),
    }
    try:
        done = subprocess.run(command, capture_output=True, timeout=seconds, check=False, env=env)
    except subprocess.TimeoutExpired as err:
        raise PdfFailure("too_slow") from err
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if done.returncode != 0 or not isinstance(answer, dict):
        raise PdfFailure("damaged")  # killed by a limit, crashed, or said nothing sensible
    if "error" in answer:
        raise PdfFailure("encrypted" if answer["error"] == "encrypted" else "damaged")
    return PdfText(int(answer["pages"]), str(answer["text"]), bool(answer["truncated"]))


def _child(path: str, max_chars: int, memory: int, cpu_seconds: int) -> dict[str, object]:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as err:
        return {"error": "encrypted" if "password" in str(err).lower() else "damaged"}
    pieces: list[str] = []
    length = 0
    truncated = False
    for index in range(len(document)):
        page = document[index]
        text_page = page.get_textpage()
        piece = text_page.get_text_range().replace("\r\n", "\n").strip()
        text_page.close()
        page.close()
        if piece:
            pieces.append(piece)
            length += len(piece) + 2
        if length > max_chars:
            truncated = True
            break
    text = "\n\n".join(pieces)[:max_chars]
    return {"pages": len(document), "text": text, "truncated": truncated}


if __name__ == "__main__":
    pdf_path, chars, limit, cpu = sys.argv[1], *map(int, sys.argv[2:5])
    sys.stdout.write(json.dumps(_child(pdf_path, chars, limit, cpu)))
