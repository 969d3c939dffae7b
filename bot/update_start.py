"""The one query every update starts with: was it handled before, who is acting, and (with the
dialog state in the database) where their dialog stands.

Built once at import; read afresh for every update, so a role revoked or a dialog dropped
anywhere (another process, a SQL console) counts on the very next update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, bindparam, exists, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.services.people import Actor, actor_from_rows
from models import (
    FsmRecord,
    Membership,
    MembershipStatus,
    Organisation,
    ProcessedUpdate,
    Profile,
    User,
)

# One row even when there is no such user (nor state), so the query always answers "seen".
_ONE_ROW = select(literal(1).label("one")).subquery("one_row")
_SEEN = exists().where(ProcessedUpdate.update_id == bindparam("update_id")).label("seen")


_STACK = aliased(FsmRecord, name="dialog_stack")


def _query(with_state: bool) -> Select[Any]:
    entities: list[object] = [_SEEN, User, Membership, Organisation, Profile]
    if with_state:
        entities += [FsmRecord, _STACK]
    query = select(*entities).select_from(_ONE_ROW)  # type: ignore[call-overload]
    if with_state:
        query = query.outerjoin(FsmRecord, FsmRecord.key == bindparam("state_key")).outerjoin(
            _STACK, _STACK.key == bindparam("stack_key")
        )
    query = (
        query.outerjoin(User, User.telegram_id == bindparam("telegram_id"))
        .outerjoin(  # a withdrawn (or revoked) membership grants nothing anywhere
            Membership,
            and_(Membership.user_id == User.id, Membership.status == MembershipStatus.ACTIVE),
        )
        .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .order_by(Membership.id)
    )
    return query


WITH_STATE = _query(with_state=True)
WITHOUT_STATE = _query(with_state=False)


@dataclass
class UpdateStart:
    seen: bool  # handled before: to be skipped
    actor: Actor
    state: FsmRecord | None  # the FSM record, when a state key was given
    stack: FsmRecord | None  # and the dialogs' stack record


async def load_update_start(
    session: AsyncSession,
    update_id: int,
    telegram_id: int,
    is_admin: bool,
    state_keys: tuple[str, str] | None,
) -> UpdateStart:
    """`state_keys`: the FSM record's and the dialogs' stack record's, with the SQL storage."""
    parameters: dict[str, object] = {"update_id": update_id, "telegram_id": telegram_id}
    if state_keys is not None:
        parameters["state_key"], parameters["stack_key"] = state_keys
    query = WITHOUT_STATE if state_keys is None else WITH_STATE
    rows: list[Any] = list((await session.execute(query, parameters)).all())
    actor = actor_from_rows(session, telegram_id, is_admin, [tuple(row[1:5]) for row in rows])
    state, stack = (rows[0][5], rows[0][6]) if state_keys is not None else (None, None)
    return UpdateStart(seen=bool(rows[0][0]), actor=actor, state=state, stack=stack)


async def was_handled(session: AsyncSession, update_id: int) -> bool:
    """For an update from nobody in particular (no acting user to load with it)."""
    return await session.get(ProcessedUpdate, update_id) is not None
