"""The dialogs' states, one group per flow (diagrams in README.md)."""

from aiogram.fsm.state import State, StatesGroup


class Onboarding(StatesGroup):
    consent = State()  # data: invitation_id


class ProfileForm(StatesGroup):
    # data: membership_id, field (the question on screen), picked (multi), other, edit
    answering = State()


class OrganisationForm(StatesGroup):
    name = State()
    short_name = State()
    timezone = State()
    curator = State()
