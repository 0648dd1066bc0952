"""A person's own evidence file assessed, without the organisation's database (which is
read only for the framework it adopted, if there is one)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from itss.engine.result import Assessment
from itss.io.documents import read_evidence
from itss.services.context import Context


def assess_file(
    ctx: Context, path: Path | str, as_of: dt.date, *, all_fields: bool = False
) -> Assessment:
    """One person's evidence file assessed as on `as_of`, explained."""
    evidence = read_evidence(Path(path), ctx.framework)
    return ctx.evaluator.assess(evidence, as_of, all_fields=all_fields)
