## Announcements and events (handlers/broadcast.py)
command-broadcast = an announcement or an event
command-events = upcoming events
broadcast-kind = <b>What to send?</b>
broadcast-kind-announcement = 📣 Announcement
broadcast-kind-event = 📅 Event with sign-up
broadcast-text = Write the text (up to { $limit } characters; bold, italics and links are kept) or send a photo or a document with a caption.
broadcast-caption-long = A caption holds at most { $limit } characters. Shorten it or send the text on its own.
broadcast-day = On which day?
broadcast-time = At what time? Write it like <code>15:30</code>.
broadcast-time-wrong = That time could not be read. Write it like <code>15:30</code>.
broadcast-place = Where? Write the place or tap «Skip».
broadcast-skip = Skip
broadcast-audience = <b>To whom?</b>
broadcast-audience-everyone = 👥 Everyone
broadcast-audience-mentors = 🧑‍🏫 Mentors
broadcast-audience-mentees = 🌱 Mentees
broadcast-audience-pairs = 🤝 People in active pairs
broadcast-audience-form = By form of mentoring…
broadcast-audience-role = By role…
broadcast-audience-people = Choose people…
broadcast-form = People of pairs of which form?
broadcast-role = Which role?
broadcast-people = Tick the people and tap «Done».
broadcast-people-done = Done
broadcast-people-none = Tick at least one person.
broadcast-preview = <b>This is how it arrives ({ $count ->
    [one] { $count } recipient
   *[other] { $count } recipients
}), in the organisation's working hours:</b>
broadcast-preview-buttons = Under it: «✅ I'll come» and «❌ Can't come».
broadcast-send = ✉️ Send
broadcast-nobody = Nobody is in this audience now. Choose another one.
broadcast-back = ◀ Back
broadcast-cancel = Cancel
broadcast-close = Close
broadcast-message-head = 📣 <b>{ $organisation }</b>
broadcast-message-event = 📅 <b>{ $when }</b>, { $place }
broadcast-coming = ✅ I'll come
broadcast-not-coming = ❌ Can't come
broadcast-answer-coming = Noted: you are coming. We'll remind you the day before and an hour before.
broadcast-answer-not-coming = Noted: you can't come.
broadcast-report = <b>Sending</b> ({ $recipients }): delivered { $sent }, waiting { $queued }, failed { $failed }, blocked the bot { $unreachable }.
broadcast-report-event = Coming: { $coming }, not coming: { $not_coming }.
broadcast-report-cancelled = The event is cancelled; the participants were told.
broadcast-refresh = 🔄 Refresh
broadcast-cancel-event = 🚫 Cancel the event
broadcast-cancelled = 🚫 The event of { $when } is cancelled: { $text }
broadcast-moved = 🔁 The event is moved to <b>{ $when }</b>, { $place }: { $text }
broadcast-move-event = 🔁 Move the event
broadcast-events-head = <b>Upcoming events</b>
broadcast-events-line = 📅 <b>{ $when }</b>, { $place }
    { $text }
broadcast-events-none = No upcoming events.
broadcast-reminder-day = ⏰ Tomorrow, { $when }: { $text }
    📍 { $place }
broadcast-reminder-today = ⏰ Today at { $time }: { $text }
    📍 { $place }
broadcast-reminder-hour = ⏰ In an hour, at { $time }: { $text }
    📍 { $place }
broadcast-head-not-allowed = Announcements are sent by the curator. The head may send them too if the organisation's settings allow it (/settings).
broadcast-too-long = The message won't fit: Telegram takes up to { $limit } characters, and this is { $over } over (with the organisation's name, the place and the preview's lines). Shorten the text or the place.
broadcast-shorten = ✏️ Write it shorter
