from tests.conftest import ADMIN_ID
from tests.harness import Harness


async def test_admin_start(app: Harness) -> None:
    admin = app.person(ADMIN_ID)
    reply = await admin.sends("/start")
    assert reply is not None
    assert "/neworg" in reply.text
