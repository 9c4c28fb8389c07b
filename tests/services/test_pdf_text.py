"""PDF reading is portable: the POSIX-only `resource` module is used only where it exists,
and the child's CPU limit never undercuts the wall timeout that decides "too slow"."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktopchat.services import pdf_text
from tests.attachment_files import pdf

ROOT = Path(__file__).resolve().parents[2]
WITHOUT_RESOURCE = "import sys; sys.modules['resource'] = None\n"
"""As on Windows: `import resource` raises ImportError."""


def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, timeout=60, env=env, check=False
    )


def test_the_child_reads_a_pdf_where_the_os_has_no_resource_limits(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf(["Revenue grew"]))
    code = WITHOUT_RESOURCE + (
        "import runpy\n"
        "sys.argv = ['pdf_text', *sys.argv[1:]]\n"
        "runpy.run_module('desktopchat.services.pdf_text', run_name='__main__')\n"
    )
    done = _python(code, str(path), "1000", str(1024 * pdf_text.MB), "0")
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["text"] == "Revenue grew"


def test_without_resource_limits_there_is_no_cpu_limit():
    done = _python(
        WITHOUT_RESOURCE + "from desktopchat.services import pdf_text\n"
        "print(pdf_text.cpu_limit(30.0))\n"
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == "None"


@pytest.mark.skipif(sys.platform == "win32", reason="no CPU limit on Windows")
@pytest.mark.parametrize(("seconds", "limit"), [(0.05, 1), (1.0, 1), (2.2, 3), (30.0, 30)])
def test_the_cpu_limit_is_whole_seconds_never_under_one_nor_under_the_timeout(seconds, limit):
    assert pdf_text.cpu_limit(seconds) == limit


@pytest.mark.skipif(not hasattr(signal, "SIGXCPU"), reason="POSIX only")
def test_a_child_stopped_by_its_cpu_limit_is_too_slow_not_damaged(tmp_path, monkeypatch):
    stopped = subprocess.CompletedProcess([], -signal.SIGXCPU, b"", b"")
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: stopped)
    with pytest.raises(pdf_text.PdfFailure) as failure:
        pdf_text.extract(str(tmp_path / "slow.pdf"), 1000, seconds=5.0)
    assert failure.value.reason == "too_slow"
