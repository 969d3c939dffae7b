## Buttons on deadline reminders, /overdue and /reminders

command-overdue = overdue plan items
command-reminders = my reminders

reminder-cancel = Cancel
reminder-close = Close

reminder-move-ask-day =
    📅 Plan item “{ $content }”, due { $due }.
    Pick the new date.
reminder-move-use-calendar = Pick the date on the calendar above.
reminder-move-ask-reason =
    📅 New date of the item “{ $content }”: { $new_due }.
    Why does the date move? Briefly, up to { $limit } characters.
reminder-move-term-over = The programme's term ended on { $end }; there is no date left to move the item to. The curator can extend the programme.
reminder-moved = Item { $number } now falls due on { $date }.
reminder-moved-notice =
    📅 { $name } moved a plan item to { $date }:
    { $content }
    Reason: { $reason }
pair-event-activity_moved = a plan item's date moved

reminder-overdue-title = <b>Overdue plan items</b>
reminder-overdue-none = No plan item is overdue.
reminder-overdue-line =
    Pair No. { NUMBER($number, useGrouping: 0) }: { $mentor } — { $mentees }
    “{ $content }”, due { $due } ({ $days ->
        [one] { $days } day
       *[other] { $days } days
    } overdue)

reminders-no-roles = Reminders go to the people of a mentoring programme. Once you join an organisation, you can set them here.
reminders-title = <b>What I remind you of</b>
reminders-line-on = 🔔 { $kind }
reminders-line-off = 🔕 { $kind } — off
reminders-line-required = 📌 { $kind } — required
reminders-required-note = 📌 The Regulation on mentoring requires these reminders; they cannot be turned off. The others can be turned off and on again with the buttons below.
reminders-turn-off = 🔕 Turn off: { $kind }
reminders-turn-on = 🔔 Turn on: { $kind }
reminders-muted = Turned off.
reminders-unmuted = Turned on.
reminders-kind-programme = the programme within 10 days
reminders-kind-mentor_30d = a mentor within 30 days
reminders-kind-activity = plan items' dates
reminders-kind-term_soon = 14 days before the programme ends
reminders-kind-term_end = a decision when the programme's term has passed
reminders-kind-report = the final reports
reminders-kind-roadmap = roadmap stages
reminders-kind-year = the school year's start and May's monitoring
reminders-kind-survey = questionnaire deadlines
pair-status-term-passed = term passed
pairlife-plan-fulfilment = Plan fulfilled: { $plan_done } of { $plan_total }.
