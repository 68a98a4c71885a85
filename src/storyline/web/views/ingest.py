"""`POST /api/articles`: ingest articles sent as JSON or as an uploaded file.

Disabled unless the server has a token; a request must carry it (`Authorization: Bearer
TOKEN`, or HTTP Basic with the token as password). Uploaded files are written under a fresh
temporary folder with a cleaned name, so a file name can never point elsewhere.
"""

from __future__ import annotations

import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from ...errors import IngestError
from ...ingest import IngestOptions
from ...ingest.common import FIELD_LIMITS, parse_datetime
from ...records import Article
from ...pages.common import article_href, story_href
from .base import storyline_of
from .security import ErrorBody, require_token

MAX_ARTICLES = 100
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

router = APIRouter(tags=["ingest"])


class ArticleIn(BaseModel):
    # the reader boundary's bounds; the text's own limit is checked per article, so that one
    # long article is that article's error, not the whole request's
    id: Annotated[str, Field(min_length=1, max_length=FIELD_LIMITS["id"])]
    text: Annotated[str, Field(min_length=1)]
    title: Annotated[str | None, Field(max_length=FIELD_LIMITS["title"])] = None
    outlet: Annotated[str | None, Field(max_length=FIELD_LIMITS["source"], description="outlet name")] = None
    source: Annotated[
        str | None, Field(max_length=FIELD_LIMITS["source"], description="deprecated: the old name of `outlet`", json_schema_extra={"deprecated": True})
    ] = None
    url: Annotated[str | None, Field(max_length=FIELD_LIMITS["url"])] = None
    published: datetime | None = None
    author: Annotated[str | None, Field(max_length=FIELD_LIMITS["author"])] = None

    def record(self) -> Article:
        return Article(
            id=self.id,
            text=self.text,
            title=self.title,
            source=self.outlet if self.outlet is not None else self.source,
            url=self.url,
            published=self.published,
            author=self.author,
            origin="api",
        )


class ArticlesIn(BaseModel):
    articles: Annotated[list[ArticleIn], Field(min_length=1, max_length=MAX_ARTICLES)]


class IngestedArticle(BaseModel):
    id: str
    href: str
    story_id: str | None
    story_href: str | None


class IngestErrorItem(BaseModel):
    source: str
    reason: str


class IngestResult(BaseModel):
    added: int
    updated: int
    unchanged: int
    duplicates: int  # syndicated copies among the added
    articles: list[IngestedArticle]
    errors: list[IngestErrorItem]  # inputs that were skipped, with the reason


def safe_file_name(name: str | None) -> str:
    """The last part of an uploaded file's name with only plain characters left."""
    cleaned = SAFE_NAME.sub("-", Path((name or "").replace("\\", "/")).name).lstrip(".-")
    if not cleaned:
        raise HTTPException(400, "the uploaded file needs a name with a suffix such as .txt, .html or .jsonl")
    return cleaned


def run_ingest(request: Request, ingest) -> IngestResult:
    """Runs `ingest(on_error, on_article)` alone (one writer at a time) and reports on it."""
    storyline = storyline_of(request)
    seen: list[str] = []
    with request.app.state.ingest_lock:
        report = ingest(on_error=None, on_article=lambda article: seen.append(article.id))
    articles = []
    for article_id in dict.fromkeys(seen):
        story_id = storyline.article(article_id).story_id
        articles.append(
            IngestedArticle(
                id=article_id,
                href=article_href(article_id),
                story_id=story_id,
                story_href=story_href(story_id) if story_id else None,
            )
        )
    result = IngestResult(
        added=report.added,
        updated=report.updated,
        unchanged=report.unchanged,
        duplicates=report.duplicates,
        articles=articles,
        errors=[IngestErrorItem(source=e.source, reason=e.reason) for e in report.errors],
    )
    if result.errors and not result.articles:
        raise HTTPException(422, {"message": "no article could be ingested", "errors": [e.model_dump() for e in result.errors]})
    return result


async def from_json(request: Request) -> IngestResult:
    try:
        batch = ArticlesIn.model_validate_json(await request.body())
    except ValidationError as error:
        problems = [f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in error.errors()]
        raise HTTPException(422, {"message": "invalid articles", "errors": problems}) from None
    storyline = storyline_of(request)
    records = [item.record() for item in batch.articles]
    return await run_in_threadpool(run_ingest, request, lambda **hooks: storyline.add_articles(records, **hooks))


async def from_upload(request: Request) -> IngestResult:
    form = await request.form(max_files=1, max_fields=6)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(422, "send the article as a form field named 'file'")
    published = form.get("published")
    moment = parse_datetime(published) if isinstance(published, str) and published else None
    if published and moment is None:
        raise HTTPException(422, f"cannot read the date {published!r}")
    outlet = form.get("outlet") or form.get("source")  # `source`: the old name, deprecated
    options = IngestOptions(source=outlet if isinstance(outlet, str) and outlet else None, published=moment)
    name = safe_file_name(upload.filename)
    storyline = storyline_of(request)
    with tempfile.TemporaryDirectory(prefix="storyline-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(await upload.read())

        def ingest(**hooks):
            report = storyline.ingest([path], options, **hooks)
            # errors name the uploaded file, not the temporary folder it was kept in
            report.errors = [IngestError(e.source.replace(folder + "/", ""), e.reason) for e in report.errors]
            return report

        return await run_in_threadpool(run_ingest, request, ingest)


@router.post(
    "/api/articles",
    response_model=IngestResult,
    summary="Ingest articles (needs the server's token)",
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 413: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ArticlesIn"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary", "description": ".txt, .html, .jsonl, .rss, .warc …"},
                            "outlet": {"type": "string", "description": "outlet, for plain text"},
                            "source": {"type": "string", "description": "deprecated: the old name of outlet", "deprecated": True},
                            "published": {"type": "string", "description": "publication date, for plain text"},
                        },
                    }
                },
            },
        }
    },
)
async def ingest_articles(request: Request) -> IngestResult:
    """JSON `{"articles": [{"id", "text", "title", "outlet", "url", "published", "author"}]}`
    (at most 100), or a multipart upload of one article file in any format `storyline ingest`
    reads. `source`, the old name of `outlet`, is still read in both (deprecated)."""
    require_token(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        return await from_json(request)
    if kind == "multipart/form-data":
        return await from_upload(request)
    raise HTTPException(415, "send application/json or multipart/form-data")
