"""PDF text extraction in a process of its own: `python -m desktopchat.services.pdf_text`.

A PDF is a program for a renderer: a hostile or broken one can make pdfium loop, eat
memory or crash. Here that costs a child process, which is killed after a timeout, never
the window. The wall timeout is what decides "too slow"; where the OS has resource limits
(POSIX: the `resource` module, imported only there, in the child) the child also runs with
a memory cap and a CPU limit no shorter than the timeout, and running out of CPU time is
"too slow" as well. The child prints one JSON object:
{"pages": n, "text": "…", "truncated": bool}, or {"error": "encrypted" | "damaged"}.
"""

from __future__ import annotations

import contextlib
import json
import math
import signal
import subprocess
import sys
from dataclasses import dataclass

from desktopchat.system.child_python import child_command

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
    cpu = cpu_limit(seconds) or 0
    command, env = child_command(__name__, [path, str(max_chars), str(memory), str(cpu)])
    try:
        done = subprocess.run(command, capture_output=True, timeout=seconds, check=False, env=env)
    except subprocess.TimeoutExpired as err:
        raise PdfFailure("too_slow") from err
    if _out_of_cpu(done.returncode):
        raise PdfFailure("too_slow")
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if done.returncode != 0 or not isinstance(answer, dict):
        raise PdfFailure("damaged")  # killed by a limit, crashed, or said nothing sensible
    if "error" in answer:
        raise PdfFailure("encrypted" if answer["error"] == "encrypted" else "damaged")
    return PdfText(int(answer["pages"]), str(answer["text"]), bool(answer["truncated"]))


def cpu_limit(seconds: float) -> int | None:
    """The child's CPU limit for a wall timeout of `seconds`: whole seconds, rounded up and
    at least 1 (a limit of 0 would kill it at once, before the timeout could say anything);
    None where the OS has no such limit (Windows)."""
    try:
        import resource  # noqa: F401  (POSIX only: whether the OS has the limit)
    except ImportError:
        return None
    return max(1, math.ceil(seconds))


def _out_of_cpu(returncode: int) -> bool:
    """Whether the child was stopped by its CPU limit (SIGXCPU, POSIX only)."""
    xcpu = getattr(signal, "SIGXCPU", None)
    return xcpu is not None and returncode == -xcpu


def _limit_self(memory: int, cpu_seconds: int) -> None:
    """Cap the child's memory and CPU time where the OS can (POSIX); elsewhere the parent's
    wall timeout alone bounds it. A limit the OS refuses (macOS and RLIMIT_AS) is skipped:
    the timeout still holds."""
    try:
        import resource
    except ImportError:
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if cpu_seconds > 0:
        # SIGXCPU at the soft limit (reported as too slow), SIGKILL a second later.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def _child(path: str, max_chars: int, memory: int, cpu_seconds: int) -> dict[str, object]:
    _limit_self(memory, cpu_seconds)
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
