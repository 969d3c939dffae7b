"""The periodic jobs; importing a module here registers its `@job` functions."""

import handlers.help_relay
import handlers.survey_invite  # noqa: F401  - stage-2 questionnaires of new and ended pairs
