"""The model picker's filter over a very large list (issue 20 item 8): 10,000 models.

A child process opens the real picker (`ModelPicker` and its popup, as the window builds
them) with MODELS models of one provider (OpenRouter-like names, context, prices, vision on
two in three) plus a small second provider, opens the popup and types QUERIES into its
search field a key at a time, each query from an empty field. A key's time runs from the
key press to the list repainted with its rows (the key handled, the rows built and set, the
viewport painted, the events that followed processed): what a person waits between two keys.

Figures: the median and the longest key, and the loop thread's own CPU per key (what is
ours of a key's time on a machine other work shares). No reference: the target is one
frame (16 ms) per key, so typing never lags behind the fingers; a stall counts under P9.

What it showed (2 CPUs shared with other work, load 6–8): every key rebuilt a row object
(a facts lookup, a tuple) per model and searched each row's text with a generator per
model, and the popup scanned all rows twice more for the selection: median 47–96 ms per
key (26–37 ms of our own CPU), the longest 100–180 ms. With each provider's rows and
lowercase search texts built once per list, one substring pass per typed word over what
the previous word kept, favourites starred in place and the selection found by the first
matching row: median 15–18 ms (7–9 ms of our CPU), the longest 38–50 ms, on the first key
of a query (all 10,000 rows kept: the list model is reset with all their texts).
"""

from __future__ import annotations

import sys
import time
from typing import Any

from tests.bench.common import Figure, Options, run_sample, sample_main

MODULE = "tests.bench.picker"
MODELS = {"full": 10_000, "quick": 10_000}
QUERIES = ("model 12", "vendor 3 instruct", "gpt-4o", "zz")
"""Words that keep many rows, few, one model, and none (the typed id offered)."""


def _models(count: int) -> Any:
    from desktopchat.domain.types import ModelInfo
    from desktopchat.services.model_list import ModelList

    models = tuple(
        ModelInfo(
            f"vendor{n % 40}/model-{n}-instruct",
            name=f"Vendor {n % 40}: Model {n} Instruct",
            context_length=128_000,
            input_price=1.0,
            output_price=2.0,
            input_modalities=("text", "image") if n % 3 else ("text",),
            tools=n % 2 == 0,
        )
        for n in range(count)
    )
    return ModelList(models, len(models))


async def _run(count: int) -> dict[str, Any]:
    from types import SimpleNamespace

    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from desktopchat.domain.presets import get_preset
    from desktopchat.domain.types import ModelInfo
    from desktopchat.services.model_list import ModelList
    from desktopchat.ui.models.picker import ModelPicker

    app = QApplication.instance()
    assert app is not None
    remembered = SimpleNamespace(
        favourite_models=[["openrouter", "vendor3/model-3-instruct"]], recent_models=[]
    )
    host = QWidget()
    host.resize(900, 600)
    host.show()
    picker = ModelPicker(remembered, lambda: None, lambda _p, _m: None, host)
    picker.set_presets([get_preset("openrouter"), get_preset("openai")], "openrouter")
    models = _models(count)
    picker.set_models(models, models.models[0].id)
    picker.set_provider_list("openai", ModelList((ModelInfo("gpt-4o"),), 1))
    for provider in ("openrouter", "openai"):
        picker._states[provider].keyed = True
    picker.open_popup()
    search, viewport = picker.popup.search, picker.popup.view.viewport()
    app.processEvents()
    keys: list[float] = []
    cpu: list[float] = []
    for query in QUERIES:
        search.clear()
        app.processEvents()
        for character in query:
            started, started_cpu = time.perf_counter(), time.thread_time()
            QTest.keyClick(search, character)
            viewport.repaint()
            app.processEvents()
            keys.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
    rows = len(picker.popup.rows.rows)
    picker.popup.close()
    host.close()
    return {"keys_ms": keys, "cpu_ms": cpu, "rows_left": rows}


def _sample(args: list[str]) -> dict[str, Any]:
    from tests.bench.window_harness import run_qt

    return run_qt(lambda: _run(MODELS[args[0]]))


def measure(options: Options) -> list[Figure]:
    mode = "quick" if options.quick else "full"
    runs = 1 if options.quick else min(options.runs, 3)
    samples = [run_sample(MODULE, options, mode, timeout=300) for _ in range(runs)]
    keys = [key for sample in samples for key in sample["keys_ms"]]
    cpu = [key for sample in samples for key in sample["cpu_ms"]]
    what = f"model picker filter over {MODELS[mode]:,} models: per key"
    return [
        Figure("P9", what, "ms", keys, limit=16),
        Figure("P9", "  longest key", "ms", [max(s["keys_ms"]) for s in samples]),
        Figure("P9", "  per key, the loop thread's own CPU", "ms", cpu),
    ]


if __name__ == "__main__":
    sys.exit(sample_main(_sample))
