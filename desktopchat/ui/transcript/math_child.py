"""The formula layout's own process: TeX in, SVG out, one formula at a time (no Qt here).

math_images.py starts it (`python -m desktopchat.ui.transcript.math_child`) the first time a
reply has math, and talks to it in JSON lines: a request {"source", "display", "colour",
"size"} on stdin, an answer {"svg": …} or {"refused": why} on stdout. Why a process and not
a thread: ziamath is pure Python, and a thread drawing formulas holds the GIL, so on a busy
machine the window's loop waited for it (measured: timer gaps up to 280 ms while 40
formulas were drawn, 16 ms without); and a process that is over its time can be killed,
a thread cannot. The process limits its own memory (MEMORY) and checks every formula
against math_limits.py before and after the conversion, like its parent does.
"""

from __future__ import annotations

import json
import sys
import warnings
from typing import Any

from desktopchat.ui.transcript.math_limits import mathml_refusal, source_refusal

MEMORY = 1024 * 1024 * 1024
READY = "ready"


def answer(ziamath: Any, request: dict[str, Any]) -> dict[str, str]:
    """One request's answer (see the module's docstring)."""
    source = str(request["source"])
    inline = not request["display"]
    refusal = source_refusal(source)
    if refusal is None:
        refusal = mathml_refusal(ziamath.tex.tex2mml(source, inline=inline))
    if refusal is not None:
        return {"refused": refusal}
    math = ziamath.Latex(
        source, size=float(request["size"]), color=str(request["colour"]), inline=inline
    )
    return {"svg": math.svg()}


def main() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    with warnings.catch_warnings():  # its own use of pkg_resources.path
        warnings.simplefilter("ignore", DeprecationWarning)
        import ziamath

    ziamath.config.svg2 = False  # QtSvg (SVG Tiny) draws no <symbol>: paths inline
    ziamath.Latex("x", size=12).svg()  # the font, loaded before the first deadline
    print(READY, flush=True)
    for line in sys.stdin:
        try:
            reply = answer(ziamath, json.loads(line))
        except Exception as error:  # any failure: the formula is shown as its source
            reply = {"refused": f"{type(error).__name__}: {error}"[:200]}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
