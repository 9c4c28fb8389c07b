"""The files DesktopChat ships beside its code (icon, translations, desktop entry).

They live in the package itself, `desktopchat/resources/`, in a checkout and in the
installed wheel alike, and are found through `importlib.resources`: this is the one place
that knows where, so nothing else builds paths from `__file__`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = "desktopchat"
FOLDER = "resources"


def resource_path(name: str) -> Path:
    """The path of the shipped resource `name` (e.g. `"translations/desktopchat_fr.qm"`).

    A path on disk, as Qt loads icons and translations by file name. Raises
    FileNotFoundError naming where it looked: a missing resource is a packaging bug, to be
    reported as such rather than show up as a blank icon.
    """
    folder = resources.files(PACKAGE) / FOLDER
    found = folder.joinpath(*name.split("/"))
    if not found.is_file():
        raise FileNotFoundError(f"resource {name!r} not found in {folder}")
    return Path(str(found))
