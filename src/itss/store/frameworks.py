"""Tailored framework files, kept whole, and the adoptions that say which are in use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from itss.store.change import Change
from itss.store.errors import UnknownError
from itss.store.models import FrameworkAdoption, FrameworkFile


@dataclass(frozen=True)
class StoredFile:
    id: int
    name: str
    digest: str
    uploaded_at: dt.datetime
    uploaded_by: str


@dataclass(frozen=True)
class Adoption:
    id: int
    files: list[int]
    version: str
    adopted_at: dt.datetime
    adopted_by: str


def _file(row: FrameworkFile) -> StoredFile:
    return StoredFile(row.id, row.name, row.digest, row.uploaded_at, row.uploaded_by)


def add_file(session: Session, name: str, digest: str, content: str, change: Change) -> StoredFile:
    """Keep a file (once: the same content uploaded again is the same file)."""
    found = session.scalar(select(FrameworkFile).where(FrameworkFile.digest == digest))
    if found is not None:
        return _file(found)
    row = FrameworkFile(
        name=name, digest=digest, content=content, uploaded_at=change.at, uploaded_by=change.by
    )
    session.add(row)
    session.flush()
    return _file(row)


def files(session: Session) -> list[StoredFile]:
    return [_file(r) for r in session.scalars(select(FrameworkFile).order_by(FrameworkFile.id))]


def contents(session: Session, ids: list[int]) -> list[tuple[str, str]]:
    """(name, text) of these files, in the order given; an unknown id is an error."""
    query = select(FrameworkFile).where(FrameworkFile.id.in_(ids))
    found = {r.id: (r.name, r.content) for r in session.scalars(query)}
    if missing := [i for i in ids if i not in found]:
        raise UnknownError(key="framework.unknown_files", values={"ids": missing})
    return [found[i] for i in ids]


def adopt(session: Session, ids: list[int], version: str, change: Change) -> Adoption:
    row = FrameworkAdoption(files=ids, version=version, adopted_at=change.at, adopted_by=change.by)
    session.add(row)
    session.flush()
    return Adoption(row.id, list(row.files), row.version, row.adopted_at, row.adopted_by)


def adopted(session: Session) -> Adoption | None:
    """The latest adoption (None: the built-in framework, as nobody adopted another)."""
    row = session.scalar(select(FrameworkAdoption).order_by(FrameworkAdoption.id.desc()).limit(1))
    if row is None:
        return None
    return Adoption(row.id, list(row.files), row.version, row.adopted_at, row.adopted_by)


def adopted_as(session: Session, version: str) -> list[list[int]]:
    """The files of every adoption of this framework version, latest first."""
    query = (
        select(FrameworkAdoption.files)
        .where(FrameworkAdoption.version == version)
        .order_by(FrameworkAdoption.id.desc())
    )
    return [list(files) for files in session.scalars(query)]
