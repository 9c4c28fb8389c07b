"""Finding the files DesktopChat ships beside its code (icon, translations, desktop entry).

An installed wheel carries them inside the package (``desktopchat/resources/``) while a
source checkout keeps them in the repository's top-level ``resources/`` folder; this is the
one place that knows both, so nothing else guesses paths relative to ``__file__``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[2]
RESOURCE_DIRS: tuple[Path, ...] = (
    _PACKAGE_DIR / "resources",
    _PACKAGE_DIR.parent / "resources",
)
"""Where resources are looked for, in order: the installed package, then the checkout."""


def resource_path(name: str) -> Path:
    """The path of the shipped resource ``name`` (e.g. ``"desktopchat.svg"``).

    Raises FileNotFoundError naming every folder searched, because a missing resource is a
    packaging bug that should be reported as such rather than show up as a blank icon.
    """
    for folder in RESOURCE_DIRS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(folder) for folder in RESOURCE_DIRS)
    raise FileNotFoundError(f"resource {name!r} not found in: {searched}")
