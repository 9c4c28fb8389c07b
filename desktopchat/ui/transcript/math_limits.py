"""What a formula may ask of us: length, nesting, sizes, pixels and time (DESIGN.md, Limits).

A formula comes from the model, so it is untrusted, and ziamath's layout is exponential in
nesting (measured here, a loaded 2-core machine: each level of `x^{…}`, `\\frac{…}` or
`{…}` doubles the time, each `\\left(` about quintuples it: 15 levels of `x^{…}` took
32.5 s, 10 levels of `\\left(` 15.6 s). Its lengths are taken as given: `\\hspace{1000000em}`
drew a 2.88 GB image. So every formula is checked in three steps, all cheap:

1. its source, before anything else (`source_refusal`): at most MAX_SOURCE characters and
   MAX_DEPTH levels of nesting, where `{`, `\\begin` and `\\left` open a level and a
   `\\left` counts twice (it costs several times what a brace does);
2. its MathML, after the conversion (`mathml_refusal`: ~1 ms, linear): at most
   MAX_ELEMENTS elements and MAX_TREE_DEPTH levels, and every length in it (spaces, rules,
   kerns, sizes) a plain number no larger than MAX_EMS ems: no exponent, no infinity;
3. its picture, before the image is allocated (`fitted_scale`): at most MAX_SIDE pixels a
   side and MAX_PIXELS in all, drawn smaller (down to its natural size) to fit, else refused.

What passes can still take a while (8 levels of `\\frac{…}`: ~1.6 s on the loaded machine),
so the layout also has a deadline (DEADLINE): math_images.py kills the child process that
is over it. Plain Python, no Qt (the child process imports it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

MAX_SOURCE = 1_500
"""Characters of TeX (a long formula is linear but slow: 60 terms took ~1 s here)."""
MAX_DEPTH = 8
MAX_TREE_DEPTH = 24
MAX_ELEMENTS = 1_000
MAX_EMS = 100.0
MAX_SIDE = 4_096
MAX_PIXELS = 2_000_000
"""An image of at most 8 MB (4 bytes a pixel)."""
DEADLINE = 2.0
"""Seconds one formula may take in the worker; past it, it stays as its source."""

_NESTING = re.compile(r"\\(?:left|begin)(?![A-Za-z])|\\(?:right|end)(?![A-Za-z])|\\.|[{}]", re.S)
_LENGTH = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(px|pt|mm|cm|ex|em|bp|dd|pc|in|mu|%)?")
_EMS_PER_UNIT = {
    None: 0.1,  # a bare number is pixels to ziamath
    "px": 0.1,
    "pt": 0.1,
    "bp": 0.1,
    "dd": 0.107,
    "mm": 0.285,
    "cm": 2.85,
    "in": 7.23,
    "pc": 1.2,
    "ex": 0.43,
    "em": 1.0,
    "mu": 1 / 18,
    "%": 0.01,
}
_LENGTH_ATTRIBUTES = frozenset(
    {
        "width",
        "height",
        "depth",
        "lspace",
        "rspace",
        "voffset",
        "minsize",
        "maxsize",
        "mathsize",
        "linethickness",
        "scriptminsize",
        "columnspacing",
        "rowspacing",
        "framespacing",
    }
)
_NAMED_SPACE = re.compile(r"(?:negative)?(?:very)*(?:thin|medium|thick)mathspace|auto|infinity|")


def source_refusal(source: str) -> str | None:
    """Why `source` is not rendered at all (length, nesting), or None if it may be."""
    if len(source) > MAX_SOURCE:
        return f"longer than {MAX_SOURCE} characters"
    depth = deepest = 0
    for token in _NESTING.finditer(source):
        text = token.group()
        if text == "{" or text == "\\begin":
            depth += 1
        elif text == "\\left":
            depth += 2
        elif text == "}" or text == "\\end":
            depth -= 1
        elif text == "\\right":
            depth -= 2
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        return f"nested deeper than {MAX_DEPTH} levels"
    return None


def mathml_refusal(mathml: str) -> str | None:
    """Why the converted formula is not drawn (size of its tree, its lengths), or None."""
    try:
        root = ET.fromstring(mathml)
    except ET.ParseError:
        return "not well-formed MathML"
    count = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if count > MAX_ELEMENTS:
            return f"more than {MAX_ELEMENTS} elements"
        if depth > MAX_TREE_DEPTH:
            return f"nested deeper than {MAX_TREE_DEPTH} elements"
        for name, value in element.attrib.items():
            if name in _LENGTH_ATTRIBUTES and not _length_is_sane(value):
                return f"{name}={value[:40]!r} is out of range"
        stack.extend((child, depth + 1) for child in element)
    return None


def _length_is_sane(value: str) -> bool:
    for part in value.split():  # rowspacing and columnspacing hold lists
        if _NAMED_SPACE.fullmatch(part):
            continue
        match = _LENGTH.fullmatch(part)
        if match is None:
            return False
        number = float(part[: len(part) - len(match.group(1) or "")])
        if abs(number) * _EMS_PER_UNIT[match.group(1)] > MAX_EMS:
            return False
    return True


def fitted_scale(width: float, height: float, wanted: float) -> float | None:
    """The scale to draw a `width`×`height` picture at: `wanted` if its image fits the
    limits, less if that is enough (never below 1), None if even that is too large."""
    if not (width > 0 and height > 0):
        return None
    scale = min(wanted, MAX_SIDE / width, MAX_SIDE / height, (MAX_PIXELS / (width * height)) ** 0.5)
    return scale if scale >= 1 else None
