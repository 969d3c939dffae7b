## Plan and meetings: the calendar and the dialogs' new texts

calendar-weekdays = Mo Tu We Th Fr Sa Su
