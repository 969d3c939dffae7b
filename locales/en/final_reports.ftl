## The mentor's and the mentee's final reports (handlers/final_report.py, handlers/report_view.py)

command-final_report = final report on finished mentoring

final-report-invite-mentor = 📝 The mentoring (pair No. { NUMBER($number, useGrouping: 0) }) has ended. Please fill in the mentor's final report by { $due }: how the programme was fulfilled, { $count ->
        [one] what the mentee achieved and what you recommend next
       *[other] what each of the { $count } mentees achieved and what you recommend to them next
    }. It takes about 10 minutes.
final-report-invite-mentee = 📝 The mentoring (pair No. { NUMBER($number, useGrouping: 0) }) has ended. Please fill in your final report by { $due }: how the mentoring went, what helped, what was missing, and evaluate your mentor. It takes about 10 minutes.
final-report-open = 📝 Fill in the report
final-report-none = You have no final reports: they appear when a mentoring ends.
final-report-choose = <b>My final reports</b>
    Choose a report to fill in or to read.
final-report-none-open = All your reports are sent, nothing to fill in. Sent ones can be read.
final-report-pick-open = 📝 Pair No. { NUMBER($number, useGrouping: 0) } · due { $due }
final-report-pick-sent = ✅ Pair No. { NUMBER($number, useGrouping: 0) } · sent { $date }
final-report-close = Close
final-report-later = I'll do it later
final-report-back = ◀ Back
final-report-next = Next ▶
final-report-keep = Keep as it is ▶
final-report-skip = Skip ▶
final-report-use-buttons = Please tap a button under the message. /cancel leaves (nothing is kept).

final-report-mentor-head = <b>Mentor's final report</b> · pair No. { NUMBER($number, useGrouping: 0) } · due { $due }
final-report-mentee-head = <b>Mentee's final report</b> · pair No. { NUMBER($number, useGrouping: 0) } · due { $due }
final-report-ask-items = Step 1 of 3. <b>How the programme was fulfilled.</b> The marks come from the plan. Tap an item to change its mark; give a reason for an item not done.
final-report-ask-mark = Item { $position }: “{ $content }”, due { $due }.
    Now: { $mark }. How was it done?
final-report-mark-button-done = ✅ Done on time
final-report-mark-button-late = ⏰ Done late
final-report-mark-button-not_done = ❌ Not done
final-report-mark-done = done
final-report-mark-late = done late
final-report-mark-not_done = not done
final-report-ask-reason = Item { $position }: “{ $content }” was not done. Say briefly why (up to { $limit } characters).
final-report-ask-results = Step 2 of 3. { $count ->
        [one] <b>The mentee's results:</b> what they learnt, what worked, what they achieved.
       *[other] <b>The mentees' results</b>, each by name: what they learnt, what worked, what they achieved.
    } Write a message (up to { $limit } characters).
final-report-ask-recommendations = Step 3 of 3. <b>Recommendations</b> for { $count ->
        [one] the mentee's
       *[other] each mentee's
    } further professional growth. Write a message (up to { $limit } characters).
final-report-now = Now: “{ $now }”. Keep it or write it again.
final-report-confirm = Check the report. Once sent, the curator and the head read it and it cannot be changed.
final-report-submit = 📨 Send the report
final-report-edit-items = ✏️ Marks
final-report-sent = ✅ Thank you! The final report on pair No. { NUMBER($number, useGrouping: 0) } is sent. You can read it in /final_report.
final-report-all-sent-desk = 📝 All final reports on pair No. { NUMBER($number, useGrouping: 0) } are in. To read them: /pairs → the pair → “📝 Reports”.
final-report-already-sent = This report is already sent. You can read it in /final_report.
final-report-reason-needed = Each item not done needs a reason.

final-report-ask-how-it-went = Question 1 of 4. <b>How did the mentoring go?</b> Write a message (up to { $limit } characters).
final-report-ask-helped = Question 2 of 4. <b>What helped most?</b> (up to { $limit } characters)
final-report-ask-missing = Question 3 of 4. <b>What was missing?</b> (up to { $limit } characters) If nothing was, tap “Skip”.
final-report-ask-score = Question 4 of 4. <b>Evaluate your mentor</b> ({ $step } of { $steps }): { $criterion }.
    1 — not at all, 5 — fully.
final-report-ask-comment = <b>A comment on the evaluation</b>, if you wish to add something (up to { $limit } characters).
final-report-criterion-availability = found time, answered questions promptly
final-report-criterion-competence = knows the work well, explains clearly
final-report-criterion-support = was supportive and kind
final-report-criterion-feedback = gave useful feedback on my work
final-report-criterion-results = helped me achieve results

final-report-read = 📝 Reports
final-report-card-title = <b>Final reports</b>
final-report-role-mentor = mentor
final-report-role-mentee = mentee
final-report-line-sent = ✅ { $name } ({ $role }) — sent { $date }
final-report-line-open = ⏳ { $name } ({ $role }) — due { $due }
final-report-mine-sent = ✅ Pair No. { NUMBER($number, useGrouping: 0) } — sent { $date }
final-report-mine-open = 📝 Pair No. { NUMBER($number, useGrouping: 0) } — due { $due }
final-report-hint = Fill in or read: /final_report
final-report-title-mentor = <b>Mentor's report</b> · pair No. { NUMBER($number, useGrouping: 0) } · { $name } · sent { $date }
final-report-title-mentee = <b>Mentee's report</b> · pair No. { NUMBER($number, useGrouping: 0) } · { $name } · sent { $date }
final-report-not-yet = Not sent yet (due { $due }).
final-report-nothing-to-read = No final reports yet.
final-report-counts = <b>The programme:</b> on time — { $done }, late — { $late }, not done — { $not_done }
final-report-no-items = <b>The programme:</b> the plan had no items.
final-report-item = { $position }. { $icon } { $content } — { $mark }
final-report-item-reason = (reason: { $reason })
final-report-results = <b>The mentee's results:</b> { $text }
final-report-recommendations = <b>Recommendations:</b> { $text }
final-report-how-it-went = <b>How the mentoring went:</b> { $text }
final-report-helped = <b>What helped most:</b> { $text }
final-report-missing = <b>What was missing:</b> { $text }
final-report-comment = <b>Comment:</b> { $text }
final-report-evaluation = <b>Evaluation of the mentor</b> (1–5):
final-report-evaluation-of-you = <b>How the mentee evaluated you</b> (1–5):
final-report-score-line = • { $criterion }: { $score }
final-report-score-mean = Mean score: { NUMBER($mean, minimumFractionDigits: 1, maximumFractionDigits: 1) }
