"""Query parameter types shared by the views: bounded, and blank form fields read as absent."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import BeforeValidator, StringConstraints

from ...pages.common import MAX_PAGE_SIZE

# An HTML form sends its empty fields as `name=`; they mean "no filter", not an error.
_blank_is_absent = BeforeValidator(lambda value: value or None)

MAX_TEXT = 200
MAX_OFFSET = 1_000_000

Text = Annotated[Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)] | None, _blank_is_absent]
Day = Annotated[date | None, _blank_is_absent]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"page size, at most {MAX_PAGE_SIZE}")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="how many items to skip")]
