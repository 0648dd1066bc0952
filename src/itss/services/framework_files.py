"""Tailored framework files kept in the database, and the organisation's adoption of them.

An admin uploads a file (checked on top of the built-in framework, every problem named with
its place), then adopts a set of files as a separate, recorded step: from then on every
assessment uses the framework they give, and the assessments made before keep the version
they were made with."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from itss.catalogue.catalogue import Catalogue
from itss.errors import CatalogueError
from itss.io.framework import load_framework
from itss.io.parsing import decode_text
from itss.services import access, audit
from itss.services.context import Context
from itss.store import frameworks
from itss.store.frameworks import Adoption, StoredFile


@dataclass(frozen=True)
class FileLine:
    file: StoredFile
    adopted: bool  # one of the files of the framework in use


def _built(ctx: Context, texts: list[tuple[str, str]]) -> Catalogue:
    """The framework these files give on top of the built-in one (and the settings' files)."""
    return load_framework(ctx.settings.framework_files, texts=texts)


def upload(ctx: Context, name: str, content: bytes) -> StoredFile:
    """Keep a tailored framework file, once it is known to load on top of the built-in
    framework (admins)."""
    access.require_role(ctx, "admin")
    text = decode_text(content, name, CatalogueError)
    _built(ctx, [(name, text)])
    digest = hashlib.sha256(text.encode()).hexdigest()

    def write(session: Session) -> StoredFile:
        found = frameworks.add_file(session, name, digest, text, ctx.change(f"upload {name}"))
        after = {"name": found.name, "digest": digest}
        audit.record(session, ctx, "framework:upload", "framework_file", str(found.id), after=after)
        return found

    return ctx.ready.run(write)


def listing(ctx: Context) -> list[FileLine]:
    access.require_role(ctx, *access.EVERYONE)
    with ctx.ready.transaction() as session:
        current = frameworks.adopted(session)
        chosen = set(current.files) if current else set()
        return [FileLine(f, f.id in chosen) for f in frameworks.files(session)]


def framework_of(ctx: Context, file_ids: list[int]) -> Catalogue:
    """The framework of these stored files (in this order) on top of the built-in one."""
    with ctx.ready.transaction() as session:
        texts = frameworks.contents(session, file_ids)
    return _built(ctx, texts)


def made_with(ctx: Context, version: str) -> Catalogue | None:
    """The framework of this version, rebuilt: the one in use, the built-in one, or one the
    organisation adopted before (its files are kept); None when none of them gives this
    version any more (the built-in data of another release of itss, say)."""
    if version == ctx.framework.version:
        return ctx.framework
    builtin = _built(ctx, [])
    if builtin.version == version:
        return builtin
    with ctx.ready.transaction() as session:
        adoptions = frameworks.adopted_as(session, version)
    for files in adoptions:
        found = framework_of(ctx, files)
        if found.version == version:
            return found
    return None


def current(ctx: Context) -> Adoption | None:
    """The adoption in force (None: the built-in framework)."""
    with ctx.ready.transaction() as session:
        return frameworks.adopted(session)


def adopt(ctx: Context, file_ids: list[int]) -> Adoption:
    """Make the framework of these files (in this order, on top of the built-in one) the
    organisation's (admins); none: back to the built-in framework."""
    access.require_role(ctx, "admin")
    version = framework_of(ctx, file_ids).version  # refused here, with the place, if they clash

    def write(session: Session) -> Adoption:
        before = frameworks.adopted(session)
        made = frameworks.adopt(session, file_ids, version, ctx.change("adopt framework"))
        shown = {"files": before.files, "version": before.version} if before else None
        after = {"files": file_ids, "version": version}
        audit.record(
            session, ctx, "framework:adopt", "framework", version, before=shown, after=after
        )
        return made

    return ctx.ready.run(write)
