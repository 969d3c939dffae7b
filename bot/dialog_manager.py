"""aiogram-dialog's dialog manager, with a dialog never given the id of one below it.

aiogram-dialog names each dialog it opens (an intent) by the current second and one of 100
random numbers (`aiogram_dialog.api.entities.stack.new_int_id`), so a dialog opened on top of
one opened in the same second gets that one's id once in a hundred times (Tishka17/aiogram_dialog
pull request 501 would change it). The two then share one stored context: the one on top
overwrites the one below, and when it closes (`done()`) the one below is gone. The step fails
after its reply went out, its transaction rolls back, and the person sees a stale-button
answer. Here such a start is undone at once and made again, so it gets an id of its own.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Router
from aiogram.fsm.state import State
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.api.entities import AccessSettings, ChatEvent
from aiogram_dialog.api.protocols import DialogRegistryProtocol
from aiogram_dialog.context.media_storage import MediaIdStorage
from aiogram_dialog.manager.manager import ManagerImpl
from aiogram_dialog.manager.manager_factory import DefaultManagerFactory
from aiogram_dialog.manager.message_manager import MessageManager

log = logging.getLogger(__name__)

# Each new try draws a new id with the same odds; two misses in a row are already 1 in 10,000.
ATTEMPTS = 5


class UniqueIntentManager(ManagerImpl):
    async def start(
        self,
        state: State,
        data: Any = None,
        mode: StartMode = StartMode.NORMAL,
        show_mode: ShowMode | None = None,
        access_settings: AccessSettings | None = None,
    ) -> None:
        await super().start(state, data, mode, show_mode, access_settings)
        shown = self.show_mode
        for _ in range(ATTEMPTS):
            stack = self.current_stack()
            if not stack.intents or stack.intents[-1] not in stack.intents[:-1]:
                break
            # Undone: the new dialog leaves the stack under a name no context has, so closing
            # it removes nothing stored, and the dialog below (saved before the start) is
            # current again. Then it starts again, in the message it has just been shown in.
            log.debug("a dialog drew the id of one below it; started again")
            stack.intents[-1] += "~"  # never in an id (letters and digits)
            await self.mark_closed()
            again = ShowMode.NO_UPDATE if shown is ShowMode.NO_UPDATE else ShowMode.EDIT
            await super().start(state, data, StartMode.NORMAL, again, access_settings)
            self.show_mode = shown


class UniqueIntentManagerFactory(DefaultManagerFactory):
    """aiogram-dialog's own factory (`setup_dialogs`' default), making `UniqueIntentManager`."""

    def __init__(self) -> None:
        super().__init__(
            message_manager=MessageManager(), media_id_storage=MediaIdStorage(), getter=None
        )

    def __call__(
        self,
        event: ChatEvent,
        data: dict[str, Any],
        registry: DialogRegistryProtocol,
        router: Router,
    ) -> DialogManager:
        return UniqueIntentManager(
            event=event,
            data=data,
            message_manager=self.message_manager,
            media_id_storage=self.media_id_storage,
            registry=registry,
            router=router,
            getter=self.getter,
        )
