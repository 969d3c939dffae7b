"""Entry point: `nastavnik` or `python -m bot`."""

from __future__ import annotations

import asyncio
import sys

from bot.config import SettingsError, load_settings
from bot.logs import configure


def main() -> None:
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        sys.exit(2)
    configure(settings.log_level)
    # aiogram and the app take seconds to load: a bad setting is told before, at once.
    from bot.serve import run

    try:
        asyncio.run(run(settings))
    except SettingsError as error:
        print(error, file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
