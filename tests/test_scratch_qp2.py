from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from bot.services.clock import FrozenClock
from tests.harness import Harness
from tests.test_erasure_scan import withdraw
from tests.test_help import cast


async def test_explore(app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock) -> None:
    people = await cast(app, sessionmaker)
    mentee, mentor = people.mentee, people.mentor
    await mentee.sends("/sos")
    await mentee.sends("Дети не спят")
    await mentor.taps("Ответить")
    await mentor.sends("Уложите их под колыбельную")
    await mentee.sends("Спасибо")
    await withdraw(mentor)
    await app.deliver()
    mentee.forget()
    await mentee.sends("/requests")
    print(mentee.last_reply())
    try:
        await mentee.taps("№")
    except AssertionError as e:
        print("ERR", e)
    await app.deliver()
    print("\n====\n".join(mentee.texts()))
    clock.advance(days=2)
    await app.deliver()
