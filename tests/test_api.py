"""The library is as usable as the CLI: load, read, assess, register a tailored rule kind."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

import itss
from itss.engine.context import BuildContext
from itss.engine.subject import Subject
from itss.engine.verdict import Message, Outcome

ROOT = Path(__file__).resolve().parents[1]


def test_load_read_assess() -> None:
    framework = itss.load_framework()
    evidence = itss.read_evidence(ROOT / "docs/examples/evidence-ja.yaml", framework)
    result = itss.assess(framework, evidence, as_of=dt.date(2026, 4, 1))
    assert result.level_of("itsm.operations-management") == 4
    assert result.framework_version == framework.version
    assert result.policy == "default"


class YearsInCompany(BaseModel):
    model_config = ConfigDict(extra="forbid")
    years: int


@dataclass(frozen=True)
class Tenure:
    years: int

    def test(self, subject: Subject) -> bool:
        starts = [e.start for f in subject.by_field.values() for e in f]
        return bool(starts) and (subject.as_of - min(starts)).days >= self.years * 365

    def explain(self, subject: Subject) -> Outcome:
        met = self.test(subject)
        return Outcome(
            met,
            Message("tenure", {"years": self.years}),
            None if met else Message("tenure.missing", {"years": self.years}),
        )


def _build(params: YearsInCompany, ctx: BuildContext) -> Tenure:
    return Tenure(params.years)


def test_a_tailored_rule_kind_registers_like_a_builtin(tmp_path: Path) -> None:
    """In a registry of its own: other tests (and the default registry) never see it."""
    registry = itss.default_registry().copy()
    registry.register(itss.RuleKind("tenure", "person", YearsInCompany, _build))
    assert "tenure" not in itss.default_registry()
    source = (ROOT / "docs/examples/tailored-framework.yaml").read_text(encoding="utf-8")
    tailored = tmp_path / "acme.yaml"
    tailored.write_text(
        source.replace("rule: {kind: mentoring}", "rule: {kind: tenure, years: 10}"),
        encoding="utf-8",
    )
    framework = itss.load_framework([tailored], include_builtin=False, registry=registry)
    with pytest.raises(itss.CatalogueError, match="unknown rule kind 'tenure'"):
        itss.load_framework([tailored], include_builtin=False)
    evidence = itss.Evidence.model_validate(
        {
            "person": {"id": "p", "name": "P"},
            "engagements": [
                {
                    "id": "e",
                    "field": "example.operations-management",
                    "role": "member",
                    "start": "2010-01-01",
                    "end": "2011-01-01",
                }
            ],
        }
    )
    result = itss.Evaluator(framework, registry=registry).assess(evidence, dt.date(2020, 1, 2))
    assert result.fields[0].next is not None
    verdicts = {v.criterion: v for v in result.fields[0].next.criteria}
    assert verdicts["example.operations-management.l4.mentoring"].status.met
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        source.replace("rule: {kind: mentoring}", "rule: {kind: tenure}"), encoding="utf-8"
    )
    with pytest.raises(itss.CatalogueError, match="tenure: years: Field required"):
        itss.load_framework([bad], include_builtin=False, registry=registry)


def test_the_readme_snippet_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("```python\n", 1)[1].split("```", 1)[0]
    shutil.copy(ROOT / "docs/examples/evidence-en.yaml", tmp_path / "me.yaml")
    monkeypatch.chdir(tmp_path)
    printed: list[str] = []
    exec(snippet, {"print": lambda *a: printed.append(" ".join(map(str, a)))})
    assert any(line.startswith("cs.hardware ") for line in printed)
    sentences = [line for line in printed if line.startswith("  -")]
    assert sentences
    assert not any("missing" in line.split()[1] for line in sentences)  # no bare message keys


def test_paths_may_be_text_and_verdicts_render_in_both_languages() -> None:
    framework = itss.load_framework()
    evidence = itss.read_evidence(str(ROOT / "docs/examples/evidence-ja.yaml"), framework)
    result = itss.assess(framework, evidence, as_of=dt.date(2026, 4, 1))
    missing = [v for f in result.fields for v in f.missing]
    assert missing
    for verdict in missing:
        ja, en = (itss.render(verdict.missing, lang, framework) for lang in ("ja", "en"))
        assert ja
        assert en
        assert ja != en
        assert verdict.missing is not None
        assert verdict.missing.key not in (ja, en)


def test_an_unknown_rule_kind_is_refused_at_load_with_its_place(tmp_path: Path) -> None:
    source = (ROOT / "docs/examples/tailored-framework.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        source.replace("rule: {kind: mentoring}", "rule: {kind: nonsense}"), encoding="utf-8"
    )
    with pytest.raises(itss.CatalogueError) as caught:
        itss.load_framework([bad], include_builtin=False)
    assert caught.value.file == str(bad)
    assert "criterion(example.operations-management.l4.mentoring).rule" in caught.value.where
    assert "unknown rule kind 'nonsense'" in caught.value.problem


def test_every_built_in_kind_says_how_to_meet_it_and_what_it_writes() -> None:
    """The registry is the one source of what a kind is: the demo and the tests make their
    evidence from each kind's example, and its messages have texts (tests/i18n)."""
    for kind in itss.default_registry():
        assert kind.example is not None, kind.name
        assert kind.messages, kind.name
    attested = [k.name for k in itss.default_registry() if k.attestation_only]
    assert attested == ["attested"]
