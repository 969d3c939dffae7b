"""Messages to other people, each in their own language, queued in the caller's transaction
(bot.mail.Mail): one person who blocked the bot cannot fail the step that caused the message.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.mail import Mail
from bot.services.people import Recipient


async def tell_each(
    mail: Mail,
    recipients: list[Recipient],
    render: Callable[[str], str],
    default_locale: str,
    *,
    purpose: str = "notice",
    urgent: bool = True,
) -> None:
    """Queue `render(locale)` for each recipient, in their language (once per chat)."""
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.telegram_id in seen:
            continue
        seen.add(recipient.telegram_id)
        text = render(recipient.language or default_locale)
        await mail.send(recipient.telegram_id, text, purpose=purpose, urgent=urgent)
