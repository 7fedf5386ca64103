"""The field form, defined once here, published as XLSForm (openpyxl) and XForm (pyxform).

One form covers both field tasks: registering a new household with its members, and
asking an assigned household about return. Labels are in English, Azerbaijani and
Russian; the device shows the language its user picks. The assigned households reach
each device as the per-user media file `households.csv` (select_one_from_file), so a
collector never holds another team's list.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass

from openpyxl import Workbook

FORM_ID = "yurd_household"
# Bump when the questions change: clients re-download a form whose version differs.
FORM_VERSION = "2026112801"
HOUSEHOLDS_FILE = "households.csv"
LANGUAGES = (("en", "English (en)"), ("az", "Azərbaycanca (az)"), ("ru", "Русский (ru)"))
TITLE = {"en": "Yurd household survey", "az": "Yurd ailə sorğusu", "ru": "Анкета семьи Yurd"}
# Every form this server publishes, by id; a team is given some of them.
PUBLISHED_FORMS = {FORM_ID: TITLE}


def all_forms() -> list[str]:
    """Default forms of a new team: every published form."""
    return list(PUBLISHED_FORMS)


@dataclass(frozen=True)
class Label:
    en: str
    az: str
    ru: str


@dataclass(frozen=True)
class Question:
    type: str
    name: str
    label: Label | None = None
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    appearance: str = ""


def _q(type_: str, name: str, en: str, az: str, ru: str, **extra: str | bool) -> Question:
    return Question(type_, name, Label(en, az, ru), **extra)  # type: ignore[arg-type]


SURVEY: tuple[Question, ...] = (
    Question("start", "start"),
    Question("end", "end"),
    Question("today", "today"),
    _q(
        "select_one survey_kind",
        "survey_kind",
        "What is this visit for?",
        "Bu səfər nə üçündür?",
        "Цель визита",
        required=True,
    ),
    _q(
        f"select_one_from_file {HOUSEHOLDS_FILE}",
        "household_code",
        "Assigned household",
        "Təyin edilmiş ailə",
        "Назначенная семья",
        required=True,
        relevant="${survey_kind} = 'return'",
    ),
    _q("begin group", "household", "Household", "Ailə", "Семья", relevant="${survey_kind} = 'register'"),
    _q(
        "text",
        "household_ref",
        "Household number on the paper list",
        "Kağız siyahıdakı ailə nömrəsi",
        "Номер семьи в бумажном списке",
    ),
    _q("text", "origin_place", "Settlement of origin", "Gəldiyi kənd", "Село происхождения", required=True),
    _q(
        "text",
        "displacement_date",
        "Date of displacement (e.g. 11.1988)",
        "Köçkünlük tarixi (məs. 11.1988)",
        "Дата выселения (напр. 11.1988)",
    ),
    _q(
        "text",
        "current_place",
        "Where the household lives now",
        "Ailənin indiki yaşayış yeri",
        "Где семья живёт сейчас",
    ),
    _q("begin repeat", "member", "Member", "Ailə üzvü", "Член семьи"),
    _q("text", "surname", "Surname", "Soyad", "Фамилия", required=True),
    _q("text", "given_name", "Given name", "Ad", "Имя", required=True),
    _q("text", "patronymic", "Patronymic", "Ata adı", "Отчество"),
    _q("select_one sex", "sex", "Sex", "Cins", "Пол"),
    _q(
        "text",
        "birth_date",
        "Birth date (12.03.1951 or 1951)",
        "Doğum tarixi (12.03.1951 və ya 1951)",
        "Дата рождения (12.03.1951 или 1951)",
    ),
    _q("select_one role", "role", "Role in the household", "Ailədəki rolu", "Роль в семье", required=True),
    Question("end repeat", ""),
    Question("end group", ""),
    _q("begin group", "return", "Return", "Qayıdış", "Возвращение"),
    _q(
        "select_one intention",
        "intention",
        "Does the household intend to return?",
        "Ailə qayıtmaq niyyətindədirmi?",
        "Намерена ли семья вернуться?",
        required=True,
    ),
    _q(
        "text",
        "preferred_place",
        "Preferred settlement",
        "Üstünlük verilən kənd",
        "Предпочтительное село",
        relevant="${intention} != 'no'",
    ),
    _q(
        "select_multiple condition",
        "conditions",
        "Conditions named",
        "Göstərilən şərtlər",
        "Названные условия",
        relevant="${intention} = 'conditional' or ${intention} = 'undecided'",
    ),
    _q(
        "integer",
        "members_returning",
        "How many members would return?",
        "Neçə ailə üzvü qayıdardı?",
        "Сколько членов семьи вернулись бы?",
        relevant="${intention} != 'no'",
        constraint=". >= 0 and . <= 50",
    ),
    _q("select_one timeline", "timeline", "When?", "Nə vaxt?", "Когда?", relevant="${intention} != 'no'"),
    Question("end group", ""),
)

CHOICES: dict[str, tuple[tuple[str, Label], ...]] = {
    "survey_kind": (
        ("register", Label("Register a new household", "Yeni ailəni qeydiyyata almaq", "Зарегистрировать новую семью")),
        (
            "return",
            Label(
                "Ask an assigned household about return",
                "Təyin edilmiş ailədən qayıdış barədə soruşmaq",
                "Опросить назначенную семью о возвращении",
            ),
        ),
    ),
    "sex": (("m", Label("male", "kişi", "мужской")), ("f", Label("female", "qadın", "женский"))),
    "role": (
        ("head", Label("head of household", "ailə başçısı", "глава семьи")),
        ("spouse", Label("spouse", "həyat yoldaşı", "супруг(а)")),
        ("child", Label("child", "övlad", "ребёнок")),
        ("parent", Label("parent", "valideyn", "родитель")),
        ("grandchild", Label("grandchild", "nəvə", "внук / внучка")),
        ("sibling", Label("sibling", "qardaş / bacı", "брат / сестра")),
        ("other", Label("other relative", "digər qohum", "другой родственник")),
    ),
    "intention": (
        ("yes", Label("yes", "bəli", "да")),
        ("conditional", Label("under conditions", "şərtlərlə", "при условиях")),
        ("undecided", Label("undecided", "qərarsız", "не решили")),
        ("no", Label("no", "xeyr", "нет")),
    ),
    "condition": (
        ("security", Label("security", "təhlükəsizlik", "безопасность")),
        ("housing", Label("housing", "mənzil", "жильё")),
        ("property", Label("property restitution", "mülkün qaytarılması", "реституция имущества")),
        ("livelihood", Label("livelihood", "dolanışıq", "средства к существованию")),
        ("services", Label("services", "xidmətlər", "услуги")),
        ("documents", Label("documents", "sənədlər", "документы")),
    ),
    "timeline": (
        ("within_year", Label("within a year", "bir il ərzində", "в течение года")),
        ("one_to_three", Label("in one to three years", "bir-üç ilə", "через один–три года")),
        ("later", Label("later", "daha sonra", "позже")),
        ("unknown", Label("not known", "məlum deyil", "неизвестно")),
    ),
}


def _labels(label: Label | None) -> list[str]:
    if label is None:
        return ["", "", ""]
    return [label.en, label.az, label.ru]


def xlsform_bytes() -> bytes:
    """The XLSForm workbook (survey, choices, settings), as KoBoToolbox or ODK Central take it."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    label_columns = [f"label::{name}" for _code, name in LANGUAGES]
    survey.append(["type", "name", *label_columns, "required", "relevant", "constraint", "appearance"])
    for question in SURVEY:
        survey.append(
            [
                question.type,
                question.name,
                *_labels(question.label),
                "yes" if question.required else "",
                question.relevant,
                question.constraint,
                question.appearance,
            ]
        )
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", *label_columns])
    for list_name, options in CHOICES.items():
        for name, label in options:
            choices.append([list_name, name, *_labels(label)])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language", "instance_name"])
    settings.append([TITLE["en"], FORM_ID, FORM_VERSION, LANGUAGES[0][1], "concat(${survey_kind}, '-', ${today})"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@functools.cache
def xform_xml() -> str:
    """The XForm converted by pyxform from the XLSForm above (cached: the definition is code)."""
    from pyxform.xls2xform import convert  # noqa: PLC0415 - heavy; only the form conversion needs it

    return convert(xlsform=io.BytesIO(xlsform_bytes()), file_type=".xlsx", pretty_print=True).xform


def xform_hash() -> str:
    return "md5:" + hashlib.md5(xform_xml().encode(), usedforsecurity=False).hexdigest()
