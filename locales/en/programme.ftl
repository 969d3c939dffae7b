## The personalised mentoring programme (/programme) and working through its plan (/plan)

programme-title = <b>📘 Mentoring programme</b>
programme-mentees = { $count ->
        [one] Mentee
       *[other] Mentees
    }: { $names }
programme-mentor = Mentor: { $name }
programme-term = Mentoring term: { $start } — { $end }
programme-state = State: { $state }
programme-someone = a participant without a name
programme-pair-with-mentor = Mentor: { $name }
programme-choose-pair = Choose a pair or group:
programme-no-pairs = You have no approved pair yet. The programme is written once a pair is approved.
programme-pair-not-active = The pair is not active now: a programme is kept only in an active pair.

programme-state-none = not started, write it by { $due } ({ $days ->
        [one] { $days } day left
       *[other] { $days } days left
    })
programme-state-none-overdue = ⚠️ not written: the deadline was { $due } ({ $days ->
        [one] { $days } day overdue
       *[other] { $days } days overdue
    })
programme-state-draft = draft, send it to the mentee by { $due } ({ $days ->
        [one] { $days } day left
       *[other] { $days } days left
    })
programme-state-draft-overdue = ⚠️ draft: the deadline for writing was { $due } ({ $days ->
        [one] { $days } day overdue
       *[other] { $days } days overdue
    })
programme-state-corrected = being corrected after it was sent: send it to the mentee again
programme-state-changes = the mentee asked for changes
programme-state-submitted = sent to the mentee on { $date }, waiting to be read
programme-state-submitted-group = sent to the mentees on { $date }, { $read } of { $count } have read it
programme-state-acknowledged = agreed on { $date }, { $done } of { $total } done

programme-start-choose = Start from a template (you can change everything) or from scratch:
programme-blank = 📝 From scratch
programme-created-from-template = A draft is made from the template «{ $title }». Check the goal, tasks, results, form and the plan's dates and adapt them to your pair.
programme-created-blank = An empty draft is made. Fill in the goal, tasks, planned results, form and plan.
programme-exists = This pair already has a programme.
programme-menu-hint = When everything is filled in, send the programme to the mentee to read.
programme-change-request = ✏️ The mentee asks: { $text }

programme-field-goal = Goal
programme-field-tasks = Tasks
programme-field-planned-results = Planned results
programme-field-form = Form of mentoring
programme-plan-button = 🗓 Plan ({ $count })
programme-add-activity = ➕ Plan item
programme-read = 📄 Whole programme
programme-submit = 📨 Send to the mentee
programme-back = « To the programme
programme-back-to-item = « Back to the item
programme-back-to-plan = « To the plan
programme-open = Open the programme

programme-ask-field = Send the new text: <b>{ $field }</b> (up to { $limit } characters). Changed your mind? /cancel.
programme-current =
    Now:
    { $text }
programme-saved = ✅ Saved: { $field }.

programme-plan-title = <b>Calendar plan</b>: { $count ->
        [one] { $count } item
       *[other] { $count } items
    }
programme-plan-empty = The plan has no items yet.
programme-plan-choose = <b>Calendar plan</b>: { $count ->
        [one] { $count } item
       *[other] { $count } items
    }. Choose an item to change it.
programme-activity-line = { $mark } <b>{ $number }.</b> { $date } — { $content }
programme-activity-expected = Expected result: { $text }
programme-activity-result = Done on { $date }: { $text }
programme-activity-card = <b>Item { $number } of { $total }</b>
programme-edit-content = ✏️ Content
programme-edit-due = 📅 Date
programme-edit-expected = 🎯 Expected result
programme-remove = 🗑 Remove
programme-remove-confirm = Remove the plan item «{ $content }»?
programme-remove-yes = Yes, remove
programme-remove-no = No
programme-removed = Item removed
programme-moved = Now it is item { $number }
programme-cannot-move = It cannot move further
programme-activity-done-kept = A done item cannot be removed: first put it back to work in /plan.
programme-activity-saved = ✅ Saved.
programme-new-step = <b>New plan item, step { $step } of 3.</b>
programme-ask-content = What is to be done? Describe the activity (up to { $limit } characters).
programme-ask-due = Due date: a date within the mentoring term, from { $start } to { $end }. For example: 15.12.2026.
programme-ask-expected = What is the expected result? (up to { $limit } characters)
programme-activity-added = ✅ Item { $number } added: { $date } — { $content }
programme-add-more = ➕ Another item
programme-too-many-activities = The plan already has { $limit } items, the most it can hold. Merge or remove some.

programme-missing-goal = Fill in the programme's goal first.
programme-missing-tasks = Fill in the tasks first.
programme-missing-planned-results = Fill in the planned results first.
programme-missing-form = Set the form of mentoring first.
programme-missing-activities = Add at least one item to the plan.
programme-submitted = 📨 The programme is sent to { $count ->
        [one] the mentee. I will tell you when they have read it.
       *[other] the mentees. I will tell you when all have read it.
    }
programme-already-submitted = The programme is already with the mentee; waiting for an answer.
programme-already-agreed = The programme is already agreed.
programme-for-you = 📘 Your mentor { $name } has written a mentoring programme for you. Read it and confirm you have read it, or ask for changes.
programme-ack = ✅ I have read it
programme-ask-changes = ✏️ Ask for changes
programme-ack-thanks = Thank you! Your mentor will see that you have read the programme. Progress is in /plan.
programme-already-acknowledged = You have already confirmed reading this programme.
programme-acknowledged-by = ✅ { $name } has read the programme.
programme-acknowledged-all = ✅ { $name } has read the programme. The programme is agreed; work by the plan: /plan
programme-agreed-after-leaving = ✅ The programme of group No. { NUMBER($number, useGrouping: 0) } is agreed: everyone still in the group has read it. Work by the plan: /plan
programme-not-submitted = The programme is not waiting to be read now: the mentor is revising it. When it is sent again, a new message will come.
programme-ask-change-comment = What should change in the programme? Write to your mentor (up to { $limit } characters).
programme-changes-sent = Sent to your mentor. When the programme is corrected, it will come again.
programme-changes-requested =
    ✏️ { $name } asks to change the programme:
    { $text }
programme-not-delivered = ⚠️ The message did not reach { $name } (the bot seems to be blocked). Everything is saved and shows in /plan.
programme-not-yet = There is no programme yet: { $state }.

## /plan

plan-title = <b>📊 Mentoring plan</b>
plan-no-pairs = You have no active mentoring pair yet.
plan-no-programme-mentor = There is no programme yet: { $state }.
plan-no-programme-mentee = Your mentor is still writing the programme; it is due by { $due }. When it is ready, I will send it to you.
plan-write = ✍️ Write the programme
plan-progress = Done: { $done } of { $total } ({ $percent }%)
plan-overdue-title = <b>⚠️ Overdue: { $count }</b>
plan-upcoming-title = <b>Next deadlines</b>
plan-item-line = • { $date } — { $content }
plan-all-done = 🎉 Every item of the plan is done.
plan-meetings = Meetings logged: { $count }, confirmed: { $confirmed }.
plan-confirm-meeting = ✅ Confirm the meeting of { $date }
plan-items = 🗓 Plan items
plan-programme = 📄 Programme
plan-log-meeting = 🤝 Log a meeting
plan-items-title = <b>Plan items</b> ({ $count }): ✅ done, ⚠️ overdue, ⬜ in progress.
plan-back = « Back
plan-evidence-photo = 📎 Evidence: a photo
plan-evidence-document = 📎 Evidence: a document
plan-item-reopened = ↩️ Back to work: { $reason }
plan-item-overdue = ⚠️ Overdue by { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
plan-mark-done = ✅ Mark as done
plan-reopen = ↩️ Back to work
plan-show-evidence = 📎 Show the evidence
plan-open-item = Open the item
plan-ask-result =
    Item «{ $content }».
    In short: what was done, what is the result? (up to { $limit } characters)
plan-ask-evidence = Attach a photo or a document as evidence, or tap «Without evidence».
plan-no-evidence = Without evidence
plan-evidence-expected = A photo or a document is needed here, or the «Without evidence» button. Leave: /cancel.
plan-marked-done = ✅ Item { $number } is marked done. The mentee will be told.
plan-done-notice =
    ✅ { $name } marked a plan item done:
    { $content }
    Result: { $result }
plan-done-notice-evidence =
    ✅ { $name } marked a plan item done:
    { $content }
    Result: { $result }
    📎 There is evidence: open the item.
plan-ask-reopen-reason = Why does the item «{ $content }» go back to work? Briefly, up to { $limit } characters.
plan-reopened = ↩️ Item { $number } is back in progress. The other side will be told.
plan-reopen-notice =
    ↩️ { $name } put a plan item back to work:
    { $content }
    Reason: { $reason }
programme-activity-already-done = This item is already marked done.
programme-activity-not-done = This item is already in progress.

## Lines of a pair's history (shown on the curator's pair card)

pair-event-programme_submitted = programme sent to the mentee
pair-event-programme_acknowledged = the mentee read the programme
pair-event-programme_changes = the mentee asked to change the programme
pair-event-activity_reopened = a plan item put back to work
