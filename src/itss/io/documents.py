"""Evidence and policy files: read, validate, and check against the framework."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.loader import describe_location
from itss.engine.compile import ambiguities
from itss.engine.evidence import Evidence, check_against
from itss.engine.policy import GLOBAL_AMBIGUITIES, Policy
from itss.errors import EvidenceError, LocatedError, Phrase, PolicyError
from itss.io.parsing import read_mapping
from itss.io.validation import phrase

M = TypeVar("M", bound=BaseModel)


def _validate(model: type[M], raw: dict[str, Any], file: str, error: type[LocatedError]) -> M:
    """The document as `model`, or one error naming every problem with its place."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise error.many(file, [_problem(raw, e) for e in exc.errors()]) from None


def _problem(raw: dict[str, Any], found: ErrorDetails) -> tuple[str, str | Phrase]:
    return describe_location(raw, found["loc"]), phrase(found)


def evidence_from_mapping(raw: dict[str, Any], catalogue: Catalogue, file: str) -> Evidence:
    evidence = _validate(Evidence, raw, file, EvidenceError)
    check_against(evidence, catalogue, file)
    return evidence


def read_evidence(path: Path | str, catalogue: Catalogue) -> Evidence:
    """An evidence file (YAML or JSON), validated and checked against the framework."""
    return evidence_from_mapping(read_mapping(Path(path), EvidenceError), catalogue, str(path))


def read_policy(path: Path | str, catalogue: Catalogue) -> Policy:
    """A policy file; every ambiguity and reading it names must exist."""
    raw = read_mapping(Path(path), PolicyError)
    policy = _validate(Policy, raw, str(path), PolicyError)
    check_policy(policy, catalogue, str(path))
    return policy


def check_policy(policy: Policy, catalogue: Catalogue, file: str) -> None:
    known = {k: set(v) for k, v in ambiguities(catalogue).items()}
    known.update({k: set(v) for k, v in GLOBAL_AMBIGUITIES.items()})
    for ambiguity, reading in policy.readings.items():
        where = f"readings.{ambiguity}"
        if ambiguity not in known:
            raise PolicyError(
                file, where, f"unknown ambiguity {ambiguity!r} (known: {', '.join(sorted(known))})"
            )
        if reading != "default" and reading not in known[ambiguity]:
            raise PolicyError(
                file,
                where,
                f"unknown reading {reading!r} "
                f"(known: default, {', '.join(sorted(known[ambiguity]))})",
            )
