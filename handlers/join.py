"""The profile dialog: one question a message, saved as answered, with back, skip and /cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.mail import Mail
from bot.notify import tell_each
from bot.services import onboarding
from bot.services import profile_form as form
from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.people import Actor, desk_recipients
from bot.services.profile_form import Kind, Question
from bot.ui import button, error_text, esc, keyboard, shared_keyboard
from handlers.cards import show_profile
from handlers.states import ProfileForm
from models import Membership, Organisation, Profile, Role

CHECK = "✅ "


class FormCb(CallbackData, prefix="pf"):
    action: str  # pick, toggle, done, back, skip, today, consent
    field: str
    value: str = ""


# --- asking ----------------------------------------------------------------------------------


async def resume_form(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
    membership: Membership | None = None,
) -> bool:
    """Ask the first unanswered question of a profile (by default the person's own in the
    active organisation); False when nothing is left."""
    membership = membership or actor.bank_membership or actor.primary_membership
    if membership is None:
        return False
    profile = await onboarding.profile_of(session, membership.id)
    if profile is None:
        return False
    question = form.next_question(profile, Role(membership.role))
    if question is None:
        return False
    await ask(message, state, membership, profile, question, i18n)
    return True


async def ask(
    message: Message,
    state: FSMContext,
    membership: Membership,
    profile: Profile,
    question: Question,
    i18n: I18nContext,
    *,
    edit: bool = False,
    picked: list[str] | None = None,
    other: str | None = None,
) -> None:
    role = Role(membership.role)
    if picked is None and question.kind is Kind.MULTI:
        picked = list(getattr(profile, question.field) or [])
        other = other if other is not None else getattr(profile, question.other_field or "", None)
    await state.set_state(ProfileForm.answering)
    await state.set_data(
        {
            "membership_id": membership.id,
            "field": question.field,
            "picked": picked or [],
            "other": other,
            "awaiting_other": False,
            "edit": edit,
        }
    )
    number, total = form.progress(role, question.field)
    text = (
        i18n.get("form-progress", number=number, total=total)
        + "\n"
        + i18n.get(f"q-{question.field}")
    )
    if question.kind is Kind.MULTI and other:
        text += "\n" + i18n.get("form-other-noted", text=esc(other))
    with_back = not edit and number != 1
    if question.kind is Kind.PHONE:
        await message.answer(text, reply_markup=phone_keyboard(i18n, with_back=with_back))
        return
    await message.answer(text, reply_markup=question_keyboard(question, i18n, picked, with_back))


def phone_keyboard(i18n: I18nContext, with_back: bool) -> ReplyKeyboardMarkup:
    rows = [[KeyboardButton(text=i18n.get("form-share-phone"), request_contact=True)]]
    rows.append([KeyboardButton(text=i18n.get("form-skip"))])
    if with_back:
        rows.append([KeyboardButton(text=i18n.get("form-back"))])
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, one_time_keyboard=True)


def question_keyboard(
    question: Question, i18n: I18nContext, picked: list[str] | None, with_back: bool
) -> InlineKeyboardMarkup:
    """A question's buttons: the same for everyone, so built once per language and choice."""
    chosen = tuple(sorted(set(picked or []))) if question.kind is Kind.MULTI else ()
    field = question.field

    def build(text: Callable[[str], str]) -> InlineKeyboardMarkup:
        back = [button(text("form-back"), FormCb(action="back", field=field))]
        return keyboard(*question_buttons(question, text, chosen), back if with_back else [])

    return shared_keyboard(i18n, ("question", field, chosen, with_back), build)


def question_buttons(
    question: Question, text: Callable[[str], str], chosen: tuple[str, ...]
) -> list[list[InlineKeyboardButton]]:
    field = question.field
    if question.kind is Kind.CHOICE:
        return [
            [button(text(f"opt-{field}-{code}"), FormCb(action="pick", field=field, value=code))]
            for code in question.options
        ]
    if question.kind is Kind.MULTI:
        rows = [
            [
                button(
                    (CHECK if code in chosen else "") + text(f"opt-{field}-{code}"),
                    FormCb(action="toggle", field=field, value=code),
                )
            ]
            for code in question.options
        ]
        rows.append([button(text("form-done"), FormCb(action="done", field=field))])
        return rows
    if question.kind is Kind.DATE:
        return [[button(text("form-today"), FormCb(action="today", field=field))]]
    if question.kind is Kind.CONSENT:
        return [[button(text("form-mentor-consent-agree"), FormCb(action="consent", field=field))]]
    if question.optional:
        return [[button(text("form-skip"), FormCb(action="skip", field=field))]]
    return []


async def ask_next(
    message: Message,
    state: FSMContext,
    membership: Membership,
    profile: Profile,
    i18n: I18nContext,
    *,
    session: AsyncSession,
    was_complete: bool,
    mail: Mail | None = None,
) -> None:
    """After an answer: the next question, or the end of the dialog. A form complete only now
    is told to the curators through `mail` (needed then)."""
    question = form.next_question(profile, Role(membership.role))
    if question is not None:
        await ask(message, state, membership, profile, question, i18n)
        return
    await state.clear()
    await message.answer(i18n.get("form-complete"), reply_markup=ReplyKeyboardRemove())
    if not was_complete:
        assert mail is not None, "a form complete only now is told to the curators"
        organisation = await session.get(Organisation, membership.organisation_id)
        core = i18n.core

        def render(locale: str) -> str:
            return core.get(
                "desk-member-joined",
                locale,
                name=esc(profile.full_name or "—"),
                role=core.get(f"role-{membership.role}", locale),
                organisation=esc(organisation.short_name if organisation else "—"),
            )

        await tell_each(
            mail,
            await desk_recipients(session, membership.organisation_id),
            render,
            i18n.locale,
        )


# --- answering -------------------------------------------------------------------------------


async def _load(
    state: FSMContext, session: AsyncSession, actor: Actor
) -> tuple[Membership, Profile, Question, dict[str, Any]] | None:
    data = await state.get_data()
    if actor.user is None or "membership_id" not in data:
        return None
    target = await onboarding.form_target(session, actor.user.id, int(data["membership_id"]))
    question = form.BY_FIELD.get(str(data.get("field")))
    if target is None or question is None:
        return None
    return target[0], target[1], question, data


async def _store(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    clock: Clock,
    mail: Mail,
    i18n: I18nContext,
    loaded: tuple[Membership, Profile, Question, dict[str, Any]],
    value: Any,
    *,
    other: str | None = None,
) -> None:
    membership, profile, question, data = loaded
    was_complete = profile.completed_at is not None
    await onboarding.save_answer(
        session,
        membership,
        profile,
        question.field,
        value,
        now=clock.now(),
        language=i18n.locale,
        other=other,
    )
    await _after_answer(
        message, state, session, mail, i18n, membership, profile, data, was_complete
    )


async def _after_answer(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    mail: Mail,
    i18n: I18nContext,
    membership: Membership,
    profile: Profile,
    data: dict[str, Any],
    was_complete: bool,
) -> None:
    if data.get("edit"):
        await state.clear()
        await message.answer(i18n.get("form-saved"), reply_markup=ReplyKeyboardRemove())
        await show_profile(message, session, membership, profile, i18n)
        return
    await ask_next(
        message,
        state,
        membership,
        profile,
        i18n,
        mail=mail,
        session=session,
        was_complete=was_complete,
    )


def _typed_value(
    question: Question, text: str | None, profile: Profile, clock: Clock, tz: str
) -> Any:
    today = clock.today(tz)
    if question.kind is Kind.NAME:
        return form.parse_full_name(text)
    if question.kind is Kind.TEXT:
        return form.clean_text(text, question.max_length)
    if question.kind is Kind.YEAR_OF_BIRTH:
        return form.parse_birth_year(text, today)
    if question.kind is Kind.NUMBER:
        low, high = question.bounds
        return onboarding.validate_cross_fields(
            profile, question, form.parse_number(text, low, high), today
        )
    if question.kind is Kind.DATE:
        return form.parse_start_date(text, today, profile.birth_year)
    if question.kind is Kind.PHONE:
        return form.parse_phone(text)
    raise UserFacingError("form-use-buttons")


async def answer_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    i18n: I18nContext,
) -> None:
    loaded = await _load(state, session, actor)
    if loaded is None:
        await state.clear()
        await message.answer(i18n.get("form-lost"), reply_markup=ReplyKeyboardRemove())
        return
    membership, profile, question, data = loaded
    text = message.text
    if text is not None and text.startswith("/"):
        await message.answer(i18n.get("form-unknown-command"))
        return
    if text == i18n.get("form-back"):
        await _go_back(message, state, membership, profile, question, i18n)
        return
    try:
        if question.kind is Kind.PHONE and message.contact is not None:
            if message.contact.user_id != message.from_user.id:  # type: ignore[union-attr]
                raise UserFacingError("error-phone-not-yours")
            value: Any = form.parse_phone(message.contact.phone_number)
        elif question.kind is Kind.PHONE and text == i18n.get("form-skip"):
            was_complete = profile.completed_at is not None
            onboarding.skip(profile, Role(membership.role), question.field, clock.now())
            await _after_answer(
                message,
                state,
                session,
                mail,
                i18n,
                membership,
                profile,
                data,
                was_complete,
            )
            return
        elif question.kind is Kind.CHOICE and data.get("awaiting_other"):
            value = form.clean_text(text, form.SHORT_TEXT)
        elif question.kind is Kind.MULTI:
            other = form.clean_text(
                text, form.LONG_TEXT if question.other_field else form.SHORT_TEXT
            )
            await ask(
                message,
                state,
                membership,
                profile,
                question,
                i18n,
                edit=bool(data.get("edit")),
                picked=list(data.get("picked") or []),
                other=other,
            )
            return
        elif message.contact is not None:
            raise UserFacingError("error-expected-text")
        else:
            organisation = await session.get(Organisation, membership.organisation_id)
            tz = organisation.timezone if organisation else "Europe/Moscow"
            value = _typed_value(question, text, profile, clock, tz)
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        await _repeat(message, state, membership, profile, question, i18n, data)
        return
    await _store(message, state, session, clock, mail, i18n, loaded, value)


async def answer_not_text(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    i18n: I18nContext,
) -> None:
    """A sticker, photo or voice where the question wants words or a tap."""
    await message.answer(i18n.get("error-expected-text"))
    loaded = await _load(state, session, actor)
    if loaded is not None:
        await _repeat(message, state, *loaded[:3], i18n, loaded[3])


async def _repeat(
    message: Message,
    state: FSMContext,
    membership: Membership,
    profile: Profile,
    question: Question,
    i18n: I18nContext,
    data: dict[str, Any],
) -> None:
    await ask(
        message,
        state,
        membership,
        profile,
        question,
        i18n,
        edit=bool(data.get("edit")),
        picked=data.get("picked"),
        other=data.get("other"),
    )


async def _go_back(
    message: Message,
    state: FSMContext,
    membership: Membership,
    profile: Profile,
    question: Question,
    i18n: I18nContext,
) -> None:
    previous = form.previous_question(Role(membership.role), question.field)
    if previous is None:
        await message.answer(i18n.get("form-no-back"))
        return
    await ask(message, state, membership, profile, previous, i18n)


async def answer_button(
    query: CallbackQuery,
    callback_data: FormCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    mail: Mail,
    i18n: I18nContext,
) -> None:
    loaded = await _load(state, session, actor)
    message = query.message
    if (
        loaded is None
        or not isinstance(message, Message)
        or loaded[2].field != callback_data.field
    ):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    membership, profile, question, data = loaded
    action, value = callback_data.action, callback_data.value
    valid = (
        (action == "pick" and question.kind is Kind.CHOICE and value in question.options)
        or (action == "toggle" and question.kind is Kind.MULTI and value in question.options)
        or (action == "done" and question.kind is Kind.MULTI)
        or (action == "today" and question.kind is Kind.DATE)
        or (action == "consent" and question.kind is Kind.CONSENT)
        or (action == "skip" and question.optional)
        or action == "back"
    )
    if not valid:
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    if action == "toggle":
        picked = set(data.get("picked") or [])
        picked ^= {value}
        ordered = [code for code in question.options if code in picked]
        await state.update_data(picked=ordered)
        await message.edit_reply_markup(
            reply_markup=question_keyboard(question, i18n, ordered, not data.get("edit"))
        )
        return
    await message.edit_reply_markup(reply_markup=None)
    if action == "back":
        await _go_back(message, state, membership, profile, question, i18n)
    elif action == "pick" and value == form.OTHER:
        await state.update_data(awaiting_other=True)
        await message.answer(i18n.get("form-type-other"))
    elif action == "pick":
        await _store(message, state, session, clock, mail, i18n, loaded, value)
    elif action == "done":
        picked_codes = list(data.get("picked") or [])
        if not picked_codes and not data.get("other"):
            await message.answer(i18n.get("error-pick-something"))
            await _repeat(message, state, membership, profile, question, i18n, data)
            return
        await _store(
            message,
            state,
            session,
            clock,
            mail,
            i18n,
            loaded,
            picked_codes,
            other=data.get("other"),
        )
    elif action == "today":
        organisation = await session.get(Organisation, membership.organisation_id)
        await _store(
            message,
            state,
            session,
            clock,
            mail,
            i18n,
            loaded,
            clock.today(organisation.timezone if organisation else "Europe/Moscow"),
        )
    elif action == "consent":
        await _store(message, state, session, clock, mail, i18n, loaded, None)
    elif action == "skip":
        was_complete = profile.completed_at is not None
        onboarding.skip(profile, Role(membership.role), question.field, clock.now())
        await _after_answer(
            message, state, session, mail, i18n, membership, profile, data, was_complete
        )


async def stale_form_button(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer(i18n.get("error-stale-button"), show_alert=True)


def router() -> Router:
    router = Router(name=__name__)
    # Every message handler here is a step of the dialog: other states skip the router.
    router.message.filter(StateFilter(ProfileForm))
    router.message.register(answer_typed, ProfileForm.answering, F.text | F.contact)
    router.message.register(answer_not_text, ProfileForm.answering)
    router.callback_query.register(answer_button, FormCb.filter(), ProfileForm.answering)
    router.callback_query.register(stale_form_button, FormCb.filter())
    return router
