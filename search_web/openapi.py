"""The API's description: ``openapi.yaml`` beside this module, read once, served as JSON at
/api/openapi.json and as a readable page at /api/docs (rendered here, no script, no CDN)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

DESCRIPTION_FILE = Path(__file__).with_name("openapi.yaml")
METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=1)
def description() -> dict:
    """The OpenAPI 3.1 description as a mapping (read once per process)."""
    return yaml.safe_load(DESCRIPTION_FILE.read_text(encoding="utf-8"))


def operations() -> list[dict]:
    """Every operation, in the file's order, for the docs page: path, method, summary, description,
    parameters, request body types and responses (status, description)."""
    spec = description()
    found = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            responses = [(status, _resolve(spec, body).get("description", ""))
                         for status, body in op.get("responses", {}).items()]
            found.append({"path": path, "method": method.upper(), "summary": op.get("summary", ""),
                          "description": op.get("description", ""),
                          "parameters": op.get("parameters", []),
                          "body": list(op.get("requestBody", {}).get("content", {})),
                          "public": op.get("security") == [], "responses": responses})
    return found


def _resolve(spec: dict, node: dict) -> dict:
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not ref:
        return node
    target = spec
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target
