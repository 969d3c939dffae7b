"""The periodic jobs; importing a module here registers its `@job` functions."""

import handlers.help_relay  # noqa: F401  - escalation of unanswered requests for help
