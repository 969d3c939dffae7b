## Questionnaires: the deadline's calendar

surveys-calendar-months = January February March April May June July August September October November December
surveys-calendar-weekdays = Mo Tu We Th Fr Sa Su
