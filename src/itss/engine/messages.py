"""Rendering explanations in Japanese or English."""

from __future__ import annotations

import datetime as dt
from typing import Any

from itss.catalogue.catalogue import Catalogue
from itss.catalogue.models import Text
from itss.engine.verdict import Message, Status

Lang = str

TEMPLATES: dict[str, tuple[str, str]] = {
    "checklist.met": (
        "{engagement} が{count}項目に該当(必要{min}項目): {items}",
        "{engagement} meets {count} of the criteria ({min} needed): {items}",
    ),
    "checklist.short": (
        "{engagement} は{count}項目のみ該当(必要{min}項目): {items}",
        "{engagement} meets only {count} of the criteria ({min} needed): {items}",
    ),
    "checklist.missing": (
        "次のうちあと{more}項目に該当する案件(必須: {required}) — 選択肢: {options}",
        "an engagement meeting {more} more of these criteria (required: "
        "{required}) — options: {options}",
    ),
    "items.met": ("{engagement} が該当: {items}", "{engagement} meets: {items}"),
    "items.unmet": (
        "{engagement} はどの規模条件にも該当しない",
        "{engagement} meets none of the size clauses",
    ),
    "items.any_missing": ("次のいずれか: {parts}", "one of: {parts}"),
    "items.all_missing": ("次のすべて: {parts}", "all of: {parts}"),
    "join.and": ("{parts}", "{parts}"),
    "join.or": ("{parts} のいずれか", "either {parts}"),
    "measure.met": (
        "{engagement} の{measure}は{value}({range})",
        "{engagement} has {measure} {value} ({range})",
    ),
    "measure.unmet": (
        "{engagement} の{measure}は{value}({range}が必要)",
        "{engagement} has {measure} {value} ({range} needed)",
    ),
    "measure.missing": ("{measure}が{range}の案件", "an engagement with {measure} {range}"),
    "complexity_count.met": (
        "{engagement} は複雑性の条件に{count}項目該当(必要{min}項目)",
        "{engagement} meets {count} complexity criteria ({min} needed)",
    ),
    "complexity_count.unmet": (
        "{engagement} は複雑性の条件に{count}項目のみ該当(必要{min}項目)",
        "{engagement} meets only {count} complexity criteria ({min} needed)",
    ),
    "complexity_count.missing": (
        "複雑性の条件に{min}項目以上該当",
        "{min} or more of the complexity criteria",
    ),
    "claimed.met": ("{engagement} が該当: {item}", "{engagement} meets: {item}"),
    "claimed.unmet": ("{engagement} は該当しない: {item}", "{engagement} does not meet: {item}"),
    "claimed.missing": ("該当する案件: {item}", "an engagement that meets: {item}"),
    "unrestricted.met": ("条件なし({engagement})", "no condition ({engagement})"),
    "experience.met": (
        "{role}以上としてレベル{level}相当以上の案件で{have_years}年(必要{years}年): {engagements}",
        "{have_years} years as {role} or above on engagements at level {level} "
        "or above ({years} needed): {engagements}",
    ),
    "experience.unmet": (
        "{role}以上としてレベル{level}相当以上の案件で{have_years}年(必要{years}年)",
        "{have_years} years as {role} or above on engagements at level {level} "
        "or above ({years} needed)",
    ),
    "experience.missing": (
        "あと{more_years}年、{role}以上としてレベル{level}相当以上の複雑性・"
        "サイズの案件を成功裡に遂行する",
        "{more_years} more years as {role} or above on successful "
        "engagements of level {level} complexity and size or above",
    ),
    "repetition.met": (
        "{role}以上としてレベル{level}相当以上の案件{have}件(必要{count}件、"
        "うちレベル{higher_level}以上{have_higher}件): {engagements}",
        "{have} engagements as {role} or above at level {level} or above "
        "({count} needed, {have_higher} at level {higher_level}): {engagements}",
    ),
    "repetition.unmet": (
        "{role}以上としてレベル{level}相当以上の案件{have}件(必要{count}件、"
        "うちレベル{higher_level}以上{higher_count}件以上、現在{have_higher}件)",
        "{have} engagements as {role} or above at level {level} or above "
        "({count} needed, {higher_count} of them at level {higher_level}; "
        "now {have_higher})",
    ),
    "repetition.missing": (
        "{role}以上としてあと{more}件(うちレベル{higher_level}相当あと"
        "{more_higher}件)の案件を成功裡に遂行する",
        "{more} more successful engagements as {role} or above "
        "({more_higher} more of them at level {higher_level})",
    ),
    "expertise.met": (
        "「{depth}」以上の専門性: {areas}",
        "expertise at '{depth}' or deeper: {areas}",
    ),
    "expertise.unmet": (
        "「{depth}」以上の専門性が{min}領域必要(現在: {areas})",
        "expertise at '{depth}' or deeper needed in {min} area(s) (now: {areas})",
    ),
    "expertise.missing": (
        "あと{more}領域で「{depth}」以上の専門性 — 選択肢: {options}",
        "'{depth}' or deeper expertise in {more} more area(s) — options: {options}",
    ),
    "succession.met": (
        "技術の継承の実績{count}項目(必要{min}): {titles}",
        "{count} expertise-succession achievements ({min} needed): {titles}",
    ),
    "succession.unmet": (
        "技術の継承の実績{count}項目(必要{min})",
        "{count} expertise-succession achievements ({min} needed)",
    ),
    "succession.missing": (
        "技術の継承の実績をあと{more}項目 — 選択肢: {options}",
        "{more} more expertise-succession achievements — options: {options}",
    ),
    "mentoring.met": ("後進の育成の記録{count}件", "{count} mentoring records"),
    "mentoring.unmet": ("後進の育成の記録なし", "no mentoring record"),
    "mentoring.missing": (
        "後進の育成(メンタリング、コーチング等)の記録",
        "a record of developing others (mentoring, coaching)",
    ),
    "attested.met": ("{by} が {date} に確認", "attested by {by} on {date}"),
    "attested.unmet": ("確認者による確認が未了", "not yet attested by a reviewer"),
    "attested.missing": ("確認者による確認", "an attestation by a reviewer"),
    "attestation.missing": (
        "確認者に次の確認を依頼する: {criterion}",
        "ask a reviewer to attest: {criterion}",
    ),
    "qualification.met": ("{exam} に合格", "passed {exam}"),
    "qualification.unmet": ("{exam} の合格記録なし", "no record of passing {exam}"),
    "qualification.missing": ("{exam} に合格する", "pass {exam}"),
    "engagements.met": ("{first}", "{first}"),
    "engagements.none": ("{fields} の案件の記録なし", "no engagement recorded in {fields}"),
    "engagements.none_missing": ("{fields} の案件を記録する", "record an engagement in {fields}"),
}

WORDS: dict[str, tuple[str, str]] = {
    "member": ("メンバ", "member"),
    "leader": ("リーダー", "leader"),
    "responsible": ("責任者", "responsible person"),
    "overall_responsible": ("全体責任者", "overall responsible person"),
    "basic": ("基本的な知識と経験", "basic knowledge and experience"),
    "practises_alone": ("独力で実践", "practises alone"),
    "guides_subordinates": ("後進を指導", "guides subordinates"),
    "guides_company": ("他を指導し社内に貢献", "guides others in the company"),
    "guides_industry": ("他を指導し業界に貢献", "guides others in the industry"),
    "leads_industry": ("業界をリード", "leads the industry"),
    "headcount": ("要員数", "headcount"),
    "contract_value_yen": ("年間契約金額(円)", "annual contract value (yen)"),
    "annual_users": ("年間対応ユーザ数", "annual users"),
    "sites": ("拠点数", "sites"),
    "computer_rooms": ("コンピュータルーム数", "computer rooms"),
    "floor_area_m2": ("床面積(㎡)", "floor area (m²)"),
    "ap": ("応用情報技術者試験", "the Applied Information Technology Engineer Examination"),
    Status.MET_BY_EVIDENCE: ("達成(実績)", "met by evidence"),
    Status.MET_BY_ATTESTATION: ("達成(確認済)", "met by attestation"),
    Status.NEEDS_ATTESTATION: ("要確認", "needs attestation"),
    Status.NOT_MET: ("未達", "not met"),
}

_WORD_ARGS = {"role", "depth", "measure", "exam"}
# Arguments holding framework ids (criteria, items, fields): shown as their texts.
_ID_ARGS = {"items", "options", "required", "areas", "item", "criterion", "fields"}


def word(key: str, lang: Lang) -> str:
    pair = WORDS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def render(message: Message | None, lang: Lang = "ja", catalogue: Catalogue | None = None) -> str:
    """The message as a sentence; with the catalogue, ids are shown as their texts."""
    if message is None:
        return ""
    pair = TEMPLATES.get(message.key)
    if pair is None:
        return message.key
    args = {
        name: _value(name, _resolve(name, value, catalogue), lang, catalogue)
        for name, value in message.args.items()
    }
    if "min" in message.args and "measure" in message.args:
        args["range"] = _range(message.args, lang)
    return (pair[1] if lang == "en" else pair[0]).format_map(_Defaults(args))


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


def _resolve(name: str, value: Any, catalogue: Catalogue | None) -> Any:
    if catalogue is None or name not in _ID_ARGS:
        return value
    if name == "options" and isinstance(value, str) and value in catalogue.criteria:
        # The options of a list criterion are its items.
        return [item.text for item in catalogue.criteria[value].items]
    if isinstance(value, list | tuple):
        return [_text_of(v, catalogue) for v in value]
    return _text_of(value, catalogue)


def _text_of(ident: Any, catalogue: Catalogue) -> Any:
    if not isinstance(ident, str):
        return ident
    if ident in catalogue.criteria:
        return catalogue.criteria[ident].text
    if ident in catalogue.fields:
        return catalogue.fields[ident].name
    return ident


def _value(name: str, value: Any, lang: Lang, catalogue: Catalogue | None) -> str:
    if name in _WORD_ARGS and isinstance(value, str):
        return word(value, lang)
    return _plain(value, lang, catalogue)


def _plain(value: Any, lang: Lang, catalogue: Catalogue | None = None) -> str:
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, Message):
        return render(value, lang, catalogue)
    if isinstance(value, list | tuple):
        parts = [_plain(v, lang, catalogue) for v in value if v is not None]
        return ("、" if lang == "ja" else "; ").join(p for p in parts if p) or "—"
    return _scalar(value)


def _scalar(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _range(args: dict[str, Any], lang: Lang) -> str:
    parts = []
    if args.get("min") is not None:
        parts.append(f"{_plain(args['min'], lang)}" + ("以上" if lang == "ja" else " or more"))
    if args.get("below") is not None:
        below = _plain(args["below"], lang)
        parts.append(f"{below}未満" if lang == "ja" else f"less than {below}")
    if args.get("max") is not None:
        parts.append(f"{_plain(args['max'], lang)}" + ("以下" if lang == "ja" else " at most"))
    return ("、" if lang == "ja" else ", ").join(parts)
