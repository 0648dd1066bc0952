"""Tailored framework files and the organisation's adoption of a framework: admins upload
files and adopt them, the skills office reads which are in use."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from itss.api.deps import Ctx, Server
from itss.api.schemas import Page, Paging, paged
from itss.io.parsing import MAX_BYTES
from itss.services import framework_files
from itss.store.frameworks import Adoption, StoredFile

router = APIRouter(prefix="/api/framework", tags=["framework files"])
UNNAMED = "upload.yaml"  # the name of a file sent without one


class FrameworkFileOut(BaseModel):
    id: int
    name: str
    digest: str
    uploaded_at: dt.datetime
    uploaded_by: str
    adopted: bool


class AdoptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    files: Annotated[list[int], Field(max_length=50)] = []


class AdoptionOut(BaseModel):
    files: list[int]
    version: str
    adopted_at: dt.datetime | None
    adopted_by: str | None


def _file(found: StoredFile, adopted: bool) -> FrameworkFileOut:
    return FrameworkFileOut(**vars(found), adopted=adopted)


def _adoption(found: Adoption | None, version: str) -> AdoptionOut:
    if found is None:  # nobody adopted a tailored framework: the built-in one is in use
        return AdoptionOut(files=[], version=version, adopted_at=None, adopted_by=None)
    return AdoptionOut(
        files=found.files,
        version=found.version,
        adopted_at=found.adopted_at,
        adopted_by=found.adopted_by,
    )


@router.get("/files", operation_id="listFrameworkFiles")
def list_files(ctx: Ctx, paging: Annotated[Paging, Query()]) -> Page[FrameworkFileOut]:
    """Every tailored framework file uploaded, and whether it is in the framework in use."""
    return paged([_file(line.file, line.adopted) for line in framework_files.listing(ctx)], paging)


@router.post("/files", operation_id="uploadFrameworkFile", status_code=status.HTTP_201_CREATED)
async def upload_file(file: UploadFile, ctx: Ctx) -> FrameworkFileOut:
    """Upload a tailored framework file (YAML or JSON; see docs/framework-format.md). It is
    checked on top of the built-in framework and refused with every problem's place; it is
    not used until it is adopted."""
    content = await file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE)
    name = (file.filename or UNNAMED)[-200:]
    stored = await run_in_threadpool(framework_files.upload, ctx, name, content)
    return _file(stored, adopted=False)


@router.get("/adoption", operation_id="getAdoption")
def get_adoption(ctx: Ctx) -> AdoptionOut:
    """The framework in use: the tailored files adopted, in order, and its version."""
    return _adoption(framework_files.current(ctx), ctx.framework.version)


@router.put("/adoption", operation_id="adoptFramework")
def adopt(body: AdoptionIn, ctx: Ctx, server: Server) -> AdoptionOut:
    """Adopt the framework of these files, in this order, on top of the built-in one (none:
    the built-in framework alone). Assessments from now on use it; those made before keep
    the version they were made with."""
    adopted = framework_files.adopt(ctx, body.files)
    server.reload()
    return _adoption(adopted, adopted.version)
