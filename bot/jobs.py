"""The periodic jobs; importing a module here registers its `@job` functions."""

# Escalation of unanswered requests for help.
import handlers.help_relay

# The 10-day (programme) and 30-day (mentor) deadline reminders.
import handlers.reminders

# Stage-2 questionnaires of new and ended pairs.
import handlers.survey_invite  # noqa: F401
