"""Where DesktopChat keeps its files.

One override, DESKTOPCHAT_HOME, puts data, config, cache and logs under one folder: tests
use it for isolation, and people use it for a portable install on a USB stick. The frozen
build (packaging/build) is portable without it too: a folder named `home` beside its
executable, made by the person in the unpacked archive, is its home.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "DesktopChat"
HOME_ENV = "DESKTOPCHAT_HOME"
PORTABLE_FOLDER = "home"
"""The frozen build's home when this folder is beside its executable (and no HOME_ENV)."""


@dataclass(frozen=True)
class AppPaths:
    """The folders the app writes to; created on first use, never before."""

    data: Path
    config: Path
    cache: Path
    logs: Path

    @property
    def database(self) -> Path:
        return self.data / "history.db"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.logs / "desktopchat.log"

    def ensure(self) -> list[FolderProblem]:
        """Create every folder owner-only (history, settings and logs are private), tighten
        any of ours that already exists, and say which folders cannot be written.

        Never raises: a read-only stick or a folder that cannot be created must not stop the
        app, which then runs without saving there (see app.main).
        """
        problems = []
        for folder in (self.data, self.config, self.cache, self.logs):
            problem = make_private_folder(folder)
            if problem is not None:
                problems.append(problem)
        return problems


@dataclass(frozen=True)
class FolderProblem:
    """A folder the app cannot write to, and why (the OS's words: strerror)."""

    folder: Path
    reason: str


PRIVATE_FOLDER_MODE = 0o700


def make_private_folder(folder: Path) -> FolderProblem | None:
    """Create `folder` (and its parents) if needed, make it owner-only if it is ours, and
    check it can be written to; None when it can.

    Only the folder itself is tightened, never a parent (the home folder, ~/.local/share):
    those belong to the person. A folder owned by someone else is left as it is.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER_MODE)
    except OSError as error:
        return FolderProblem(folder, error.strerror or str(error))
    _tighten(folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        return FolderProblem(folder, os.strerror(errno.EACCES))
    return None


def _tighten(folder: Path) -> None:
    """chmod 0700 a folder of ours that others can read. A filesystem without Unix modes
    (FAT on a stick) or a read-only one may refuse; the folder is then used as it is."""
    my_uid = getattr(os, "getuid", None)  # Windows has no modes to tighten
    if my_uid is None:
        return
    with contextlib.suppress(OSError):
        status = folder.stat()
        if status.st_uid == my_uid() and status.st_mode & 0o077:
            folder.chmod(PRIVATE_FOLDER_MODE)


def app_paths(environ: dict[str, str] | None = None) -> AppPaths:
    """The folders for this run: DESKTOPCHAT_HOME if set, else a frozen build's portable
    home, else the platform's own."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_ENV) or portable_home()
    if home:
        root = Path(home)
        return AppPaths(root / "data", root / "config", root / "cache", root / "logs")
    import platformdirs

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return AppPaths(
        Path(dirs.user_data_dir),
        Path(dirs.user_config_dir),
        Path(dirs.user_cache_dir),
        Path(dirs.user_log_dir),
    )


def portable_home() -> Path | None:
    """The `home` folder beside a frozen build's executable, if there is one; never for an
    app run by a Python (its executable's folder is the interpreter's, not the app's)."""
    if not getattr(sys, "frozen", False):
        return None
    folder = Path(sys.executable).resolve().parent / PORTABLE_FOLDER
    return folder if folder.is_dir() else None
