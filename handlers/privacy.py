"""/privacy as a dialog: the consent given and its text, my data as a file, and withdrawal
(with erasure) after a confirmation."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from aiogram import F, Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.kbd import Back, Button, SwitchTo
from aiogram_dialog.widgets.text import Format
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import set_person_menu
from bot.fsm_storage import close_dialogs_naming
from bot.notify import tell_each
from bot.services import privacy, site_page
from bot.services.pair_members import contacts, desk_of, pairs_by_id, participants, role_holders
from bot.services.people import Actor, desk_recipients
from bot.ui import esc, format_moment
from handlers.dialog_kit import Fl, Gone, command_router, ctx
from handlers.pair_consent import announce_consented
from handlers.pair_ui import News, names_of
from models import Role


class Privacy(StatesGroup):
    summary, consent_text, withdraw = State(), State(), State()


async def privacy_command(
    message: Message, actor: Actor, i18n: I18nContext, dialog_manager: DialogManager
) -> None:
    if actor.user is None or actor.primary_membership is None or actor.organisation is None:
        await message.answer(i18n.get("privacy-nothing-stored"))
        return
    await dialog_manager.start(Privacy.summary, mode=StartMode.RESET_STACK)


async def summary_getter(
    dialog_manager: DialogManager, session: AsyncSession, actor: Actor, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    membership, organisation = actor.primary_membership, actor.organisation
    if membership is None or organisation is None:
        raise Gone
    consent = await privacy.active_consent(session, membership.id)
    given = consent and i18n.get(
        "privacy-consent-given",
        date=format_moment(consent.given_at, organisation.timezone),
        version=consent.text_version,
    )
    named = await site_page.named_on_site(session, [m.id for m in actor.memberships])
    return {
        "organisation": esc(organisation.name),
        "given": given or i18n.get("privacy-consent-none"),
        "kept": dialog_manager.dialog_data.get("kept", False),
        "named": named,
    }


async def toggle_named(callback: CallbackQuery, widget: Any, manager: DialogManager) -> None:
    """Whether the site's page may name the person in a completed programme's case."""
    c = ctx(manager)
    ids = [m.id for m in c.actor.memberships]  # the person's, in the organisation at hand
    if not ids:
        raise Gone
    named = widget.widget_id == "privacy_named_on"
    await site_page.set_named_on_site(c.session, ids, named, c.i18n.locale, c.clock.now())
    await callback.answer(c.i18n.get("privacy-named-saved"))


async def export(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    c = ctx(manager)
    if c.actor.user is None or not isinstance(callback.message, Message):
        raise Gone
    document = await privacy.export(c.session, c.actor.user)
    text = privacy.readable(json.loads(document), c.i18n.get)
    for payload, name, caption in (
        (document, "nastavnik-my-data.json", "privacy-export-caption"),
        (text, "nastavnik-my-data.txt", "privacy-export-text-caption"),
    ):
        file = BufferedInputFile(payload, filename=name)
        await callback.message.answer_document(file, caption=c.i18n.get(caption))
    manager.show_mode = ShowMode.NO_UPDATE  # the files last, the menu stays above them


async def keep(_: CallbackQuery, __: Any, manager: DialogManager) -> None:
    manager.dialog_data["kept"] = True
    await manager.switch_to(Privacy.summary)


async def withdraw(callback: CallbackQuery, _: Any, manager: DialogManager) -> None:
    c = ctx(manager)
    actor, i18n, core, organisation = c.actor, c.i18n, c.i18n.core, c.actor.organisation
    if actor.user is None or organisation is None or not actor.roles:
        raise Gone
    result = await privacy.withdraw(c.session, actor.user, organisation.id, c.clock.now())
    await manager.done()
    storage = manager.middleware_data["fsm_storage"]  # others' dialogs that name the person
    await close_dialogs_naming(storage, c.bot.id, actor.telegram_id, result)
    text = i18n.get("privacy-withdrawn", organisation=esc(organisation.name))
    await callback.message.edit_text(text)  # type: ignore[union-attr]
    await set_person_menu(c.bot, core, c.session, actor.telegram_id, actor.is_admin, i18n.locale)
    await privacy.forget_account(c.session, actor.user)
    desk = await desk_recipients(c.session, organisation.id)

    def render(locale: str) -> str:
        roles = ", ".join(core.get(f"role-{role}", locale) for role in result.roles)
        return core.get("desk-consent-withdrawn", locale, roles=roles)

    others = [person for person in desk if person.telegram_id != actor.telegram_id]
    await tell_each(c.mail, others, render, i18n.locale)
    if result.unsupported:  # the psychologist's mentees, to be handed to another one
        people = await contacts(c.session, result.unsupported)
        named = [people[i] for i in result.unsupported if i in people]
        curators = await role_holders(c.session, organisation.id, Role.CURATOR)
        await News(c.mail, i18n).tell(
            curators, "referral-psychologist-left", count=len(named), mentees=names_of(named)
        )
    for key, pairs, told in (
        ("pair-ended-consent-withdrawn", result.ended_pairs, result.told),
        ("pair-left-consent-withdrawn", result.left_groups, result.told_left),
    ):
        for pair_id in pairs:
            about = partial(core.get, key, number=pair_id)
            await tell_each(c.mail, told, about, i18n.locale, purpose="pair")
    news = News(c.mail, i18n)
    for pair in await pairs_by_id(c.session, result.consented):  # nobody waits for them now
        await announce_consented(c.session, news, pair)
    for pair in await pairs_by_id(c.session, result.agreed):
        mentor, _ = await participants(c.session, pair)
        await news.tell([mentor], "programme-agreed-after-leaving", number=pair.id)
    for pair in await pairs_by_id(c.session, result.reports_in):
        readers = await desk_of(c.session, pair)
        await news.tell(readers, "final-report-all-sent-desk", number=pair.id)


def router() -> Router:
    return command_router(__name__, "privacy", privacy_command)


def dialogs() -> list[Dialog]:
    summary = Window(
        Fl("privacy-kept", when="kept"),
        Fl("privacy-summary"),
        Fl("privacy-named-yes", when="named"),
        Format("{given}"),
        SwitchTo(Fl("privacy-show-text"), id="privacy_text", state=Privacy.consent_text),
        Button(Fl("privacy-export"), id="privacy_export", on_click=export),
        Button(Fl("privacy-named-on"), "privacy_named_on", toggle_named, when=~F["named"]),
        Button(Fl("privacy-named-off"), "privacy_named_off", toggle_named, when="named"),
        SwitchTo(Fl("privacy-withdraw"), id="privacy_withdraw", state=Privacy.withdraw),
        state=Privacy.summary,
    )
    consent_text = Window(
        Fl("consent-personal-data"),
        Back(Fl("form-back"), id="privacy_text_back"),
        state=Privacy.consent_text,
    )
    withdrawal = Window(
        Fl("privacy-withdraw-confirm"),
        Button(Fl("privacy-withdraw-yes"), id="privacy_withdraw_yes", on_click=withdraw),
        Button(Fl("privacy-withdraw-no"), id="privacy_withdraw_keep", on_click=keep),
        state=Privacy.withdraw,
    )
    return [Dialog(summary, consent_text, withdrawal, getter=summary_getter)]
