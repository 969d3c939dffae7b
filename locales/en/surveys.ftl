## Questionnaires: the deadline's calendar

