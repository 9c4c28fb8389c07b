"""What local servers say of their models beyond `/v1/models`, for the wire server:
llama.cpp's `GET /props`, LM Studio's `GET /api/v0/models`, Ollama's `POST /api/show`.

A test sets `server.local.props`, `.lmstudio` or `.ollama[model]` to the JSON body to
answer (the builders below give the real shapes), or to bytes sent as they are; an endpoint
left at None answers 404, as a server of another kind does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.wire_formats import dumps

LOCAL_PATHS = frozenset({"/props", "/api/v0/models", "/api/show"})


@dataclass
class LocalAnswers:
    props: object = None
    lmstudio: object = None
    ollama: dict[str, object] = field(default_factory=dict)

    def answer(self, path: str, body: Any) -> tuple[int, bytes]:
        """The status and body for a request to one of LOCAL_PATHS."""
        if path == "/props":
            found = self.props
        elif path == "/api/v0/models":
            found = self.lmstudio
        else:
            name = body.get("model") if isinstance(body, dict) else None
            found = self.ollama.get(name) if isinstance(name, str) else None
        if found is None:
            return 404, b'{"error":"not found"}'
        return 200, found if isinstance(found, bytes) else dumps(found).encode()


def llama_props(n_ctx: object) -> dict[str, Any]:
    """llama.cpp's /props (trimmed): the context it was started with."""
    return {
        "default_generation_settings": {"n_ctx": n_ctx, "params": {"n_predict": -1}},
        "total_slots": 1,
        "model_path": "/models/small.gguf",
        "chat_template": "{{ messages }}",
    }


def lmstudio_models(*entries: dict[str, Any]) -> dict[str, Any]:
    """LM Studio's /api/v0/models: each entry an `id` and its context fields."""
    base = {"object": "model", "type": "llm", "publisher": "wire", "state": "not-loaded"}
    return {"object": "list", "data": [{**base, **entry} for entry in entries]}


def ollama_show(context_length: object = None, num_ctx: object = None) -> dict[str, Any]:
    """Ollama's /api/show: the trained window in model_info, `num_ctx` in the parameters."""
    parameters = 'stop "<|eot_id|>"'
    if num_ctx is not None:
        parameters += f"\nnum_ctx                        {num_ctx}"
    return {
        "modelfile": "FROM wire",
        "parameters": parameters,
        "template": "{{ .Prompt }}",
        "details": {"family": "llama", "parameter_size": "3B"},
        "model_info": {"general.architecture": "llama", "llama.context_length": context_length},
    }
