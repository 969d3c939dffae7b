## A pair's meetings: /meeting

meeting-no-pairs = You have no active pair yet: meetings are logged in an active pair.
meeting-ask-date =
    🤝 <b>New meeting.</b> When did it take place?
    You can type a date, for example 20.11.2026. Mentoring term: from { $start } to { $end }.
meeting-today = Today, { $today }
meeting-other-date = 📅 Another date
meeting-pick-day = Choose the day of the meeting:
meeting-date-future = That date has not come yet: log meetings that have already taken place.
meeting-ask-format = Date: { $date }. How did you meet?
meeting-format-in_person = 🏫 In person
meeting-format-online = 💻 Online
meeting-ask-activity = Which plan item did the meeting serve?
meeting-no-activity = Not tied to the plan
meeting-ask-duration = How long was the meeting? Choose or type the number of minutes.
meeting-minutes = { $minutes } min
meeting-duration-invalid = Type the duration in minutes: a whole number from { $low } to { $high }.
meeting-ask-attendees = Which mentees were at the meeting? Tap to mark or unmark.
meeting-attendees-done = Done
meeting-nobody-present = Mark at least one participant of the meeting.
meeting-ask-notes = Notes: what did you discuss? (up to { $limit } characters) Or tap «Skip».
meeting-ask-next-steps = Next steps: what comes next? (up to { $limit } characters) Or tap «Skip».
meeting-skip = Skip
meeting-use-buttons = Choose an option with the buttons above. Leave: /cancel.
meeting-line-when = 📅 { $date } · { $format } · { $minutes } min
meeting-line-activity = 🗓 Plan item: { $content }
meeting-line-attendees = 👥 { $count ->
        [one] Present
       *[other] Present
    }: { $names }
meeting-line-notes = 📝 Notes: { $text }
meeting-line-next = ➡️ Next: { $text }
meeting-saved =
    ✅ The meeting is logged.

    { $summary }

    Asked to confirm it: { $names }.
meeting-confirm-request =
    🤝 { $name } logged a meeting:

    { $summary }

    Please confirm that it took place.
meeting-confirm = ✅ I confirm
meeting-confirmed-thanks = Thank you, the meeting is confirmed.
meeting-already-confirmed = This meeting is already confirmed.
meeting-confirm-not-yours = The meeting is confirmed by the other side, not by the one who logged it.
meeting-confirmed-notice = ✅ { $name } confirmed the meeting of { $date }.
