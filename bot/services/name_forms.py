"""The ways a text may name a person, for erasing the name from what others wrote.

Russian declines names: an announcement says «поздравляем Петрову Анну», a plan «занятие Анны
Сергеевны», a report «с Петровой А. С.». The declension comes from Petrovich (its rules for
surnames, first names and patronymics); the person's gender from the patronymic, or both when
there is none to tell by.
"""

from __future__ import annotations

from functools import cache
from itertools import product

from petrovich.enums import Case, Gender
from petrovich.main import Petrovich

FEMALE_ENDINGS = ("вна", "чна", "кызы", "гызы")
MALE_ENDINGS = ("вич", "ич", "оглы", "улы", "уулу")


@cache
def _petrovich() -> Petrovich:
    return Petrovich()  # reads its rules file once


def _genders(patronymic: str | None) -> tuple[str, ...]:
    ending = (patronymic or "").lower()
    if ending.endswith(FEMALE_ENDINGS):
        return (Gender.FEMALE,)
    if ending.endswith(MALE_ENDINGS):
        return (Gender.MALE,)
    return (Gender.FEMALE, Gender.MALE)


def _declined(words: list[str]) -> set[tuple[str, ...]]:
    """The name's words in the nominative and in each of the five other cases."""
    surname, first, patronymic = (words + [""] * 3)[:3]
    declined = {tuple(words)}
    petrovich = _petrovich()
    for gender, case in product(_genders(patronymic or None), Case.CASES):
        forms = [petrovich.lastname(surname, case, gender)]
        if first:
            forms.append(petrovich.firstname(first, case, gender))
        if patronymic:
            forms.append(petrovich.middlename(patronymic, case, gender))
        declined.add(tuple(forms))
    return declined


def _written(surname: str, first: str = "", patronymic: str = "") -> set[str]:
    """One case of a name as people write it: whole in either order, surname and first name,
    first name and patronymic (how colleagues address each other), surname with initials."""
    if not first:
        return {surname}
    initials = [f"{first[0]}."] + ([f"{patronymic[0]}."] if patronymic else [])
    written = {
        f"{surname} {first}",
        f"{first} {surname}",
        f"{surname} {' '.join(initials)}",
        f"{surname} {''.join(initials)}",
        f"{' '.join(initials)} {surname}",
        f"{''.join(initials)} {surname}",
    }
    if patronymic:
        written |= {
            f"{surname} {first} {patronymic}",
            f"{first} {patronymic} {surname}",
            f"{first} {patronymic}",
        }
    return written


def name_forms(full_name: str | None) -> set[str]:
    """A full name («Петрова Анна Сергеевна») as texts may write it, in every case."""
    if not full_name or not full_name.strip():
        return set()
    words = full_name.split()
    forms = {full_name, " ".join(words)}
    if not 1 < len(words) <= 3:  # one word alone, or a double name: only as written
        return forms
    for declined in _declined(words):
        forms |= _written(*declined)
    return forms
