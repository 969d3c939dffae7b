"""Organisations (kindergartens) and who runs them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import UserFacingError
from bot.services.people import get_or_create_user
from bot.services.profile_form import clean_text
from bot.services.timezones import is_known_zone
from models import Membership, MembershipStatus, Organisation, Role

# Offered as buttons; any other IANA zone may be typed.
RUSSIAN_ZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
)
NAME_LIMIT = 300
SHORT_NAME_LIMIT = 64


def parse_name(text: str | None) -> str:
    return clean_text(text, NAME_LIMIT)


def parse_short_name(text: str | None) -> str:
    return clean_text(text, SHORT_NAME_LIMIT)


def parse_timezone(text: str | None) -> str:
    value = (text or "").strip()
    if not is_known_zone(value):
        raise UserFacingError("error-timezone")
    return value


async def create(
    session: AsyncSession,
    *,
    name: str,
    short_name: str,
    timezone: str,
    creator_telegram_id: int,
    creator_language: str,
    creator_is_curator: bool,
    now: datetime,
) -> Organisation:
    organisation = Organisation(
        name=name,
        short_name=short_name,
        timezone=parse_timezone(timezone),
        created_at=now,
    )
    session.add(organisation)
    await session.flush()
    if creator_is_curator:
        user = await get_or_create_user(session, creator_telegram_id, creator_language, now)
        session.add(
            Membership(
                user_id=user.id,
                organisation_id=organisation.id,
                role=Role.CURATOR,
                status=MembershipStatus.ACTIVE,
                joined_at=now,
            )
        )
        user.active_organisation_id = organisation.id
        await session.flush()
    return organisation
