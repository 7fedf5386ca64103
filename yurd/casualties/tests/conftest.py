"""Two small synthetic lists of the same people, one in Latin script and one in Cyrillic."""

from __future__ import annotations

from typing import Any

from yurd.casualties.models import ListKind, SourceList
from yurd.casualties.services import list_import_commit, list_import_stage, source_list_create
from yurd.core.actors import Actor

LATIN = (
    "record_id,surname,given_name,patronymic,sex,birth_date,event,event_date,place,wave,circumstances\n"
    "A-1,Məmmədov,Əli,Həsən oğlu,m,1951,death,11.1988,Qarabulaq,1987-1991,shot at the bridge (synthetic)\n"
    "A-2,Quliyeva,Leyla,,f,1960,injury,12.1988,Qarabulaq,1987-1991,\n"
    "A-3,Rzayev,Tofiq,,m,1932,death,1988,Ağbulaq,1987-1991,\n"
    "A-4,Abbasova,Nərmin,,f,1940,death,1949,Qarabulaq,1948-1953,\n"
)
CYRILLIC = (
    "record_id,surname,given_name,patronymic,sex,birth_date,event,event_date,place,wave\n"
    "B-1,Мамедов,Али,Гасанович,м,1951,погиб,11.1988,Qarabulaq,1988\n"
    "B-2,Кулиева,Лейла,,ж,1960,ранена,1988,Qarabulaq,1988\n"
    "B-3,Гасанов,Рашад,,м,1970,погиб,1988,Ağbulaq,1988\n"
    "B-4,Аббасова,Нармин,,ж,1940,погибла,1949,Qarabulaq,1950\n"
)


def make_list(actor: Actor, code: str, kind: str = ListKind.COMMUNITY_LIST) -> SourceList:
    return source_list_create(actor=actor, code=code, name=f"{code} (synthetic)", kind=kind, compiler="Synthetic")


def import_list(actor: Actor, source_list: SourceList, text: str, name: str = "list.csv") -> Any:
    batch = list_import_stage(actor=actor, source_list=source_list, data=text.encode(), file_name=name)
    return list_import_commit(actor=actor, batch=batch)
