"""The engine's version names what it decides: the same inputs give the same verdicts and
explanations under one version. A run that keeps only levels is explained later by assessing
its evidence again, and that is exact only if the engine still decides as it did."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

import itss
from itss.catalogue.catalogue import Catalogue
from itss.demo import generate_people
from itss.engine.evaluate import ENGINE_VERSION
from itss.io.snapshot import encode

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("evidence-ja.yaml", "evidence-en.yaml")
DAYS = (dt.date(2019, 4, 1), dt.date(2026, 4, 1))

# sha256 of every explained verdict (the stored snapshot) of the people below, by engine
# version and built-in framework version.
FINGERPRINTS = {
    "1": {"d20aa94ebdae": "2b26c38db1e76a59245323b19872ceccaf80974a2844ad44db343272a37fd7bc"},
}


def fingerprint(framework: Catalogue) -> str:
    evaluator = itss.Evaluator(framework)
    people = list(generate_people(framework, 400, seed=11))
    people += [itss.read_evidence(ROOT / "docs/examples" / n, framework) for n in EXAMPLES]
    digest = hashlib.sha256()
    for evidence in people:
        for day in DAYS:
            digest.update(encode(evaluator.assess(evidence, day, all_fields=True)))
    return digest.hexdigest()


def test_the_engine_decides_as_its_version_says(framework: Catalogue) -> None:
    recorded = FINGERPRINTS.get(ENGINE_VERSION, {}).get(framework.version)
    if recorded is None:
        pytest.fail(
            f"no fingerprint for engine {ENGINE_VERSION} and framework {framework.version}: "
            f"record {fingerprint(framework)!r}"
        )
    assert fingerprint(framework) == recorded, (
        "the engine's verdicts or explanations changed: raise ENGINE_VERSION in "
        "itss/engine/evaluate.py and record the new fingerprint (only the built-in framework "
        "or the demo generator changed: record it under the same version)"
    )
