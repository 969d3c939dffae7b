## Plan and meetings: the calendar and the dialogs' new texts

calendar-months = January February March April May June July August September October November December
calendar-weekdays = Mo Tu We Th Fr Sa Su
