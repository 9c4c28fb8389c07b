"""Where DesktopChat keeps its files.

One override, DESKTOPCHAT_HOME, puts data, config, cache and logs under one folder: tests
use it for isolation, and people use it for a portable install on a USB stick.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "DesktopChat"
HOME_ENV = "DESKTOPCHAT_HOME"


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

    def ensure(self) -> None:
        """Create every folder (owner-only: history is private)."""
        for folder in (self.data, self.config, self.cache, self.logs):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)


def app_paths(environ: dict[str, str] | None = None) -> AppPaths:
    """The folders for this run: DESKTOPCHAT_HOME if set, else the platform's own."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_ENV)
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
