"""Fidelity of the Operations data file (an earlier ITSS edition) to its source, seed 001.

The seed is read independently of the data: every list item of every achievement indicator,
with its numbers, and every skill proficiency and knowledge item must be in the data exactly
once, where the source puts it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SEED = "001_2861979a0c0b24b7.txt"
SEED_PATH = ROOT / ".." / "shared" / "seeds" / SEED
DATA_PATH = ROOT / "src" / "itss" / "catalogue" / "data" / "operations.yaml"

LINES = SEED_PATH.read_text(encoding="utf-8").split("\n")
DATA: dict[str, Any] = yaml.safe_load(DATA_PATH.read_text(encoding="utf-8"))
CATEGORY: dict[str, Any] = next(c for c in DATA["categories"] if c["id"] == "ops")

SECTION_RE = re.compile(r"<p>(責任性|複雑性|サイズ|タスク特性):</p>")
COMMON_SECTION_RE = re.compile(r"<p>(責任性|複雑性|サイズ|タスク特性): - (.*?)</p>")
LEVEL_LINE_RE = re.compile(r"^(?P<field>\S+) \d of \d\tレベル(?P<level>\d)\t(?P<body>.*)$")
# Lines 55, 60, 75, 85 and 90 run the first two task characteristics together with no space
# ("…契約期間内を通じた責任課長相当以上…"); line 70 and the L5 lines show they are two items.
JOINED_RE = re.compile(r"(契約期間内を通じた責任)(?=\S)")
UNIT_START = ("人", "億", "千", "万", "円", "拠点")
BOUND = {"以上": "min", "未満": "below", "以下": "max"}
SECTION_NAMES = {
    "責任性": "responsibility",
    "複雑性": "complexity",
    "サイズ": "size",
    "タスク特性": "task",
}


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def split_plain(rest: str) -> list[str]:
    """List items of a complexity, responsibility or task list: separated by spaces."""
    return JOINED_RE.sub(r"\1 ", rest).split()


def split_size(rest: str) -> list[str]:
    """Size items: spaces also surround the numbers, so keep number phrases together."""
    tokens = rest.split()
    items: list[str] = []
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        previous = items[-1] if items else ""
        digit = token[0].isdigit()
        joins = bool(items) and (
            token.startswith(UNIT_START)
            or previous[-1].isdigit()
            or (digit and not previous.endswith(("以上", "未満")))
            # a range: "年間 1000 人以上 3000 人未満"
            or (digit and previous.endswith("人以上") and following.startswith("人未満"))
        )
        if joins:
            items[-1] += " " + token
        else:
            items.append(token)
    return items


def source_sections(body: str) -> dict[str, tuple[str, list[str]]]:
    parts = SECTION_RE.split(body)
    sections: dict[str, tuple[str, list[str]]] = {}
    for name, html in zip(parts[1::2], parts[2::2], strict=True):
        text = plain(html)
        assert text.startswith("- ")
        end = text.index("有する") + len("有する")
        intro, rest = text[2:end], text[end:].strip()
        items = split_size(rest) if name == "サイズ" else split_plain(rest)
        sections[SECTION_NAMES[name]] = (intro, items)
    return sections


def indicator_lines() -> list[int]:
    return [n for n, text in enumerate(LINES, 1) if LEVEL_LINE_RE.match(text)]


def field_id(name_ja: str) -> str:
    for fld in CATEGORY["fields"]:
        if norm(fld["name"]["ja"]) == norm(name_ja):
            return str(fld["id"])
    raise AssertionError(f"no field named {name_ja}")


def data_level(field_name: str, level: int) -> dict[str, Any]:
    for lvl in CATEGORY["levels"]:
        if lvl["level"] != level:
            continue
        if field_name == "オペレーション共通" and lvl.get("common_to"):
            return dict(lvl)
        if field_name != "オペレーション共通" and lvl.get("field") == field_id(field_name):
            return dict(lvl)
    raise AssertionError(f"no level {level} for {field_name}")


def walk(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for criterion in criteria:
        found.append(criterion)
        found.extend(walk(criterion.get("items", [])))
    return found


def rule_bounds(rule: dict[str, Any]) -> set[tuple[str, int, str]]:
    if rule["kind"] == "measure":
        return {(rule["measure"], rule[key], key) for key in ("min", "below", "max") if key in rule}
    found: set[tuple[str, int, str]] = set()
    for sub in rule.get("of", []):
        found |= rule_bounds(sub)
    return found


def text_bounds(text: str) -> set[tuple[str, int, str]]:
    flat = norm(text)
    found: set[tuple[str, int, str]] = set()
    for m in re.finditer(r"(?:(\d+)億)?(?:(\d+)千万)?円(以上|未満|以下)", flat):
        if m.group(1) or m.group(2):
            value = int(m.group(1) or 0) * 100_000_000 + int(m.group(2) or 0) * 10_000_000
            found.add(("contract_value_yen", value, BOUND[m.group(3)]))
    for m in re.finditer(r"(\d+)(人|拠点)(以上|未満|以下)", flat):
        if m.group(2) == "拠点":
            measure = "sites"
        else:
            measure = "annual_users" if "ユーザ" in flat else "headcount"
        found.add((measure, int(m.group(1)), BOUND[m.group(3)]))
    return found


def expected_role(intro: str) -> str:
    if "責任者" in intro:
        return "responsible"
    if "リーダー" in intro or "リードして" in intro:
        return "leader"
    return "member"


def check_common_level(body: str, criteria: list[dict[str, Any]]) -> None:
    sections = dict(COMMON_SECTION_RE.findall(body))
    assert len(sections) == 4
    for name, text in sections.items():
        section = SECTION_NAMES[name]
        found = [
            c for c in criteria if c["section"] == section and norm(c["text"]["ja"]) == norm(text)
        ]
        assert len(found) == 1, (section, text)
        if section in ("complexity", "size"):
            assert found[0]["rule"] == {"kind": "unrestricted"}
    responsibility = next(c for c in criteria if c["id"].endswith(".responsibility"))
    count = 2 if "2回以上" in sections["複雑性"] else 1
    assert responsibility["rule"]["kind"] == "repetition"
    assert responsibility["rule"]["count"] == count
    assert responsibility["rule"]["role"] == "member"


def section_list(criteria: list[dict[str, Any]], section: str, intro: str) -> list[str]:
    """The data's entries for one source list: items of the head, or attested siblings."""
    heads = [
        c for c in criteria if c["section"] == section and norm(c["text"]["ja"]) == norm(intro)
    ]
    assert len(heads) == 1, (section, intro)
    head = heads[0]
    if section in ("complexity", "size"):
        return [norm(i["text"]["ja"]) for i in head.get("items", [])]
    return [
        norm(c["text"]["ja"])
        for c in criteria
        if c["section"] == section
        and c is not head
        and not c.get("informational")
        and c["rule"] == {"kind": "attested"}
        and norm(c["text"]["ja"]) not in norm(intro)
    ]


def check_field_level(body: str, level: dict[str, Any]) -> None:
    criteria: list[dict[str, Any]] = level["criteria"]
    texts = Counter(norm(c["text"]["ja"]) for c in walk(criteria))
    sections = source_sections(body)
    assert set(sections) == {"responsibility", "complexity", "size", "task"}
    for section, (intro, items) in sections.items():
        for item in items:
            assert texts[norm(item)] == 1, (section, item)
        data_items = section_list(criteria, section, intro)
        assert sorted(data_items) == sorted(norm(i) for i in items), section

    # responsibility: one engagement in the role the sentence names, at this level
    head = next(c for c in criteria if c["id"] == f"{level['id']}.responsibility")
    assert head["rule"] == {
        "kind": "repetition",
        "role": expected_role(sections["responsibility"][0]),
        "count": 1,
        "level_at_least": level["level"],
    }
    # complexity: "以下の幾つかに相当する" -> a checklist of two ("several"), one as a reading
    complexity = next(c for c in criteria if c["id"] == f"{level['id']}.complexity")
    assert "幾つか" in sections["complexity"][0]
    assert complexity["rule"]["kind"] == "checklist"
    assert complexity["rule"]["min"] == 2
    assert complexity["rule"]["ambiguity"] == "some-of-list"
    assert complexity["rule"]["readings"]["one-or-more"] == {"min": 1}
    assert all(i.get("concept") for i in complexity["items"])
    # size: every number of every item, with its bound, as a measure rule
    size = next(c for c in criteria if c["id"] == f"{level['id']}.size")
    for item in size["items"]:
        assert text_bounds(item["text"]["ja"]), item["text"]["ja"]
        assert rule_bounds(item["rule"]) == text_bounds(item["text"]["ja"]), item["id"]
    if len(size["items"]) > 1:
        assert size["rule"]["ambiguity"] == "size-list-mode"


@pytest.mark.parametrize("line_no", indicator_lines(), ids=lambda n: f"line{n}")
def test_indicator_level(line_no: int) -> None:
    match = LEVEL_LINE_RE.match(LINES[line_no - 1])
    assert match
    level = data_level(match["field"], int(match["level"]))
    assert {"file": SEED, "line": line_no} in level["sources"]
    if match["field"] == "オペレーション共通":
        check_common_level(match["body"], level["criteria"])
    else:
        check_field_level(match["body"], level)


def test_levels_match_the_indicators() -> None:
    """The overview matrix marks nothing; the levels are those the indicators define."""
    assert "■" not in "".join(LINES[11:20])
    expected: dict[str, set[int]] = {}
    common: set[int] = set()
    for n in indicator_lines():
        match = LEVEL_LINE_RE.match(LINES[n - 1])
        assert match
        if match["field"] == "オペレーション共通":
            common.add(int(match["level"]))
        else:
            expected.setdefault(field_id(match["field"]), set()).add(int(match["level"]))
    assert len(CATEGORY["levels"]) == len(indicator_lines())
    for fld in CATEGORY["fields"]:
        assert set(fld["levels"]) == expected[fld["id"]] | common
    assert any(g["id"] == "ops.gap.matrix-unmarked" for g in CATEGORY["gaps"])
    assert "number" not in CATEGORY
    assert CATEGORY["edition"] == "earlier"


# ------------------------------------------------------------------ skill items


def skill_blocks() -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for n, text in enumerate(LINES, 1):
        cells = text.split("\t")
        if n < 114 or len(cells) != 4 or not cells[1].startswith("レベル"):
            continue
        if cells[0].strip():
            label = unicodedata.normalize("NFKC", cells[0]).strip()
            assert label.startswith("専門分野:")
            field_name, skill_name = label.removeprefix("専門分野:").strip().split(" ", 1)
            blocks.append({"line": n, "field": field_name, "skill": skill_name, "rows": []})
        blocks[-1]["rows"].append(
            (n, int(cells[1].removeprefix("レベル")), cells[2].strip(), cells[3].strip())
        )
    return blocks


BLOCKS = skill_blocks()


def knowledge_tokens(html: str) -> list[tuple[str, str]]:
    text = " " + plain(html)
    parts = re.split(r"\s(-\s|・)", text)
    assert parts[0].strip() == ""
    return [
        (marker.strip(), item.strip())
        for marker, item in zip(parts[1::2], parts[2::2], strict=True)
    ]


def flatten(nodes: list[dict[str, Any]], depth: int = 0) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in nodes:
        found.append((depth, norm(node["text"]["ja"])))
        found.extend(flatten(node.get("children", []), depth + 1))
    return found


def test_skill_area_table() -> None:
    common = re.findall(r"<p>(\S+) (.*?)</p>", LINES[109].split("\t")[1])
    specific = [
        re.findall(r"<p>(\S+) (.*?)</p>", LINES[n - 1].split("\t")[2])[0] for n in (110, 111, 112)
    ]
    assert len(common) == 8
    items = CATEGORY["skill_items"]
    assert len(items) == len(common) + len(specific)
    for (name, description), scope in [
        *((c, "common") for c in common),
        *((s, "specific") for s in specific),
    ]:
        found = [i for i in items if norm(i["name"]["ja"]) == norm(name)]
        assert len(found) == 1, name
        assert found[0]["scope"] == scope
        assert norm(found[0]["description"]["ja"]) == norm(description)
        assert bool(found[0].get("fields")) == (scope == "specific")


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: f"line{b['line']}")
def test_skill_block(block: dict[str, Any]) -> None:
    skill = [i for i in CATEGORY["skill_items"] if norm(i["name"]["ja"]) == norm(block["skill"])]
    assert len(skill) == 1, block["skill"]
    fid = "ops.common" if block["field"] == "共通" else field_id(block["field"])
    if skill[0]["scope"] == "specific":
        assert skill[0]["fields"] == [fid]
    by_field = [b for b in skill[0]["by_field"] if b["field"] == fid]
    assert len(by_field) == 1
    entry = by_field[0]
    # proficiency: exactly the levels whose cell has text, with that text
    expected = {level: (n, norm(text)) for n, level, text, _ in block["rows"] if text}
    got = {p["level"]: norm(p["text"]["ja"]) for p in entry["proficiency"]}
    assert got == {level: text for level, (_, text) in expected.items()}
    for p in entry["proficiency"]:
        assert p["sources"] == [{"file": SEED, "line": expected[p["level"]][0]}]
    assert all(level < 6 for level in got)
    # knowledge: one node per "-" (top) and "・" (child) marker, in the source's order
    tokens = [tok for _, _, _, html in block["rows"] if html for tok in knowledge_tokens(html)]
    tree = flatten(entry.get("knowledge", []))
    assert sum(1 for m, _ in tokens if m == "-") == sum(1 for d, _ in tree if d == 0)
    assert sum(1 for m, _ in tokens if m == "・") == sum(1 for d, _ in tree if d == 1)
    assert all(d <= 1 for d, _ in tree)
    assert [(0 if m == "-" else 1, norm(t)) for m, t in tokens] == tree


def test_every_skill_field_block_is_used() -> None:
    pairs = Counter(
        (norm(b["skill"]), "ops.common" if b["field"] == "共通" else field_id(b["field"]))
        for b in BLOCKS
    )
    assert all(v == 1 for v in pairs.values())
    data_pairs = Counter(
        (norm(i["name"]["ja"]), b["field"]) for i in CATEGORY["skill_items"] for b in i["by_field"]
    )
    assert pairs == data_pairs


def test_ids_unique() -> None:
    ids: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                ids.append(node["id"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(DATA)
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*", i) for i in ids)
