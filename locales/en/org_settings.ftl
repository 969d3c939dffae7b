## /settings: the organisation's working days, hours and holidays

settings-working-days = 🗓 Working days: { $days }
settings-working-hours = 🕘 Working hours: { $hours }
settings-holidays-count = 🎉 Holidays and days off ahead: { $count }
settings-working-note = Reminders and invitations arrive only in working hours on working days.
settings-days-button = 🗓 Working days
settings-hours-button = 🕘 Working hours
settings-holidays-button = 🎉 Holidays
settings-close = Close
settings-back = « Back
settings-days-ask = Tick the working days of the week (a tap turns a day on or off).
settings-start-ask =
    The working hours now: { $hours }.
    When does the working day start?
settings-end-ask = The working day starts at { $start }. When does it end?
settings-holidays-title = <b>Holidays and days off</b> (tap ✖ to remove a day):
settings-holidays-none = No holidays or days off ahead.
settings-holiday-add = ➕ Add a day
settings-holiday-ask = Pick a holiday or a day off.
settings-holiday-added = { $date } is a day off.
settings-holiday-known = { $date } is a day off already.
settings-holiday-removed = The day is no longer a day off.
settings-one-day-at-least = At least one working day must stay.
settings-hours-order = The working day must end later than it starts.
