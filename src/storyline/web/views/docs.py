"""`/docs`: the HTTP API described from its OpenAPI document, drawn on the server.

FastAPI's own /docs page loads Swagger UI from a CDN; this one needs nothing from outside,
so it works offline like the rest of the UI. The machine-readable twin is /openapi.json.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel

from .base import render

router = APIRouter()

METHODS = ("get", "post", "put", "patch", "delete")


class Parameter(BaseModel):
    name: str
    where: str  # path | query
    required: bool
    type: str
    description: str


class Operation(BaseModel):
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter]
    request_types: list[str]
    response: str | None  # the schema of a successful answer


class Field(BaseModel):
    name: str
    type: str


class Schema(BaseModel):
    name: str
    description: str
    fields: list[Field]


class DocsPage(BaseModel):
    title: str
    operations: list[Operation]
    schemas: list[Schema]


def type_of(schema: dict) -> str:
    """A short human reading of a JSON Schema: `list[StoryItem]`, `string | null`, …"""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_of(option) for option in schema["anyOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list[{type_of(schema.get('items', {}))}]"
    if "enum" in schema:
        return " | ".join(repr(value) for value in schema["enum"])
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return str(kind)


def docs_page(openapi: dict) -> DocsPage:
    operations = []
    for path, item in openapi.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            ok = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
            operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    parameters=[
                        Parameter(
                            name=p["name"],
                            where=p["in"],
                            required=p.get("required", False),
                            type=type_of(p.get("schema", {})),
                            description=p.get("description", ""),
                        )
                        for p in operation.get("parameters", [])
                    ],
                    request_types=list(operation.get("requestBody", {}).get("content", {})),
                    response=type_of(ok["schema"]) if "schema" in ok else None,
                )
            )
    schemas = [
        Schema(
            name=name,
            description=schema.get("description", ""),
            fields=[Field(name=field, type=type_of(spec)) for field, spec in schema.get("properties", {}).items()],
        )
        for name, schema in sorted(openapi.get("components", {}).get("schemas", {}).items())
    ]
    return DocsPage(title=openapi["info"]["title"], operations=operations, schemas=schemas)


@router.get("/openapi.json", include_in_schema=False)
def openapi_json(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs_html(request: Request) -> HTMLResponse:
    return render(request, "docs.html", docs_page(request.app.openapi()), json_url="/openapi.json")
