## The curator's exports (bot/services/banks.py): the sample forms of seed 003, appendix 3
export-sheet-mentees = Mentees bank
export-sheet-mentors = Mentors bank
export-col-number = No.
export-col-mentee-name = Mentee's full name
export-col-contacts = Contact details
export-col-mentee-birth-year = Mentee's year of birth
export-col-mentee-request = Mentee's main request
export-col-entered-on = Date of entering the programme
export-col-mentor-name = Mentor's full name
export-col-form = Form of mentoring
export-col-mentor-workplace = Mentor's place of work or study
export-col-ended-on = Date the programme ended
export-col-results = Programme results
export-col-mentee-case-link = Link to the mentee's case or review on the organisation's site
export-col-completed-mark = Mark that the programme was completed
export-col-mentor-competencies = Mentor's main competencies
export-col-mentor-achievements = Mentor's achievements that matter for the programme
export-col-mentor-interests = Mentor's interests
export-col-preferred-mentee = Desired age of mentees
export-col-hours = Time the mentor can give to the programme
export-col-mentees = Mentee's (mentees') full name
export-col-mentee-workplace = Mentee's place of work or study
export-col-mentor-case-link = Link to the mentor's case or review on the organisation's site
export-case-on-site = the «Mentoring» page, #{ $anchor }
export-impersonal = Participant (data erased)
export-plan-done = { $done } of { $total } plan items done
export-ended-early = ended early: { $reason }
export-completed = programme completed
export-hours = { $hours } h a month
export-yes = yes
export-no = no
export-sheet-programmes = Programmes and plans
export-sheet-meetings = Meetings log
export-sheet-help = Situational help
export-col-pair = Pair (mentor — mentees)
export-col-programme-status = Programme status
export-col-goal = Programme goal
export-col-activity = Plan item
export-col-due-on = Due
export-col-expected-result = Expected result
export-col-activity-status = Status
export-col-done-at = Done at
export-col-result = Result
export-col-held-on = Date
export-col-meeting-format = Format
export-col-duration = Duration, min
export-col-notes = Discussed
export-col-next-steps = Next steps
export-col-confirmed-at = Confirmed
export-col-asked-at = Asked at
export-col-help-status = Status
export-col-answer-minutes = Minutes to answer
export-col-escalated-at = Passed to the curator
export-col-rating = Rating of the help
export-programme-draft = draft
export-programme-submitted = sent to the mentee
export-programme-changes = changes asked
export-programme-acknowledged = agreed
export-activity-open = open
export-activity-done = done
export-meeting-in_person = in person
export-meeting-online = online
export-help-open = open
export-help-closed = closed
export-no-pair = no pair

## The desk's commands (handlers/desk.py)
desk-export-choose = <b>Export to Excel</b>
    The banks of mentees and mentors, as the sample forms have them; the journals: programmes with their plans, meetings, help requests (without what was written) and the final reports; the questionnaire answers (anonymous ones without names).
desk-export-banks = 📋 Banks of mentees and mentors
desk-export-journals = 📒 Programmes, meetings, help
desk-export-everything = 🗂 Everything in one file
desk-report-choose = <b>Yearly analytical report</b>
    A Word document to print and sign: the monitoring figures, questionnaires before and after, the SWOT analysis, the mentor ratings.
desk-report-this-year = 📄 This school year
desk-report-previous-year = 📄 Last school year
desk-close = Close
desk-file-making = Making the file…
desk-site-ready = The «Mentoring» page for the site: HTML to paste into the site, Markdown for an editor. People are named only with their consent.
stats-title = <b>Mentoring from { $first } to { $last }</b>
stats-people = 👥 { $roles }. In programmes: { $share }% of { $staff }.
stats-waiting = ⏳ Mentees without a mentor: { $count }
stats-waiting-line = • { $name } — a mentor is due by { $deadline } ({ $overdue ->
    [yes] overdue by { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
   *[no] { $days ->
        [one] { $days } day left
       *[other] { $days } days left
    }
})
stats-pairs = 🤝 Active pairs by form: { $forms }. Completed: { $completed }, ended early: { $early }.
stats-plan = 🗓 Plan items: on time { $on_time }, late { $late }, overdue { $overdue }. Programmes with overdue items: { $programmes_overdue }.
stats-meetings = ☕ Meetings in the period: { $count }
stats-help = 🆘 Help requests: { $count }, answered { $answered }, median answer { $minutes }
stats-surveys = 📝 Questionnaires: { $submitted } of { $assigned } filled in
command-export = export the banks and journals to Excel
command-stats = mentoring statistics
command-report = yearly analytical report
command-site = the «Mentoring» page for the site
command-settings = the organisation's settings
settings-title = <b>Settings: { $organisation }</b>
settings-on = ✅
settings-off = ▫️
settings-head_may_broadcast = The head sends announcements and events too
settings-ratings_for_mentors = Mentors see the mentor ratings and the evaluations their mentees gave them in the final reports
settings-head_may_broadcast-short = announcements by the head
settings-ratings_for_mentors-short = ratings for mentors
settings-turn-on = Turn on: { $setting }
settings-turn-off = Turn off: { $setting }
settings-saved = Saved.
command-ratings = mentor ratings
ratings-title = <b>Mentor ratings</b> (mentees' evaluations, items on time, programmes completed)
ratings-line = { $place }. { $name } — <b>{ $score }</b>: evaluation { $evaluation }, on time { $on_time } of { $items }, programmes completed { $completed }
ratings-none = The ratings appear once mentors have programmes.
ratings-not-shown = The curator and the head see the mentor ratings; mentors do where the organisation turns it on.
export-sheet-reports = Final reports
export-col-report-author = Whose report
export-col-report-due = Due
export-col-report-submitted = Sent
export-col-report-fulfilment = Plan fulfilment
export-col-report-results = The mentee's results
export-col-report-recommendations = Recommendations
export-col-report-how-it-went = How the mentoring went
export-col-report-helped = What helped
export-col-report-missing = What was missing
export-col-report-evaluation = Evaluation of the mentor (1–5)
export-col-report-comment = Comment
export-mark-done = done
export-mark-late = late
export-mark-not_done = not done
export-sheet-surveys = Questionnaire answers
export-col-questionnaire = Questionnaire
export-col-launched = Launched
export-col-respondent = Who answered
export-col-role = Role
export-col-phase = Stage
export-col-submitted = Sent
export-col-question = Question
export-col-answer = Answer
export-anonymous = anonymous
desk-export-surveys = 📝 Questionnaire answers
stats-chart = The same figures on a chart.
stats-chart-title = Mentoring this school year
stats-chart-pairs = Active pairs by form
stats-chart-plan = Plan items
stats-chart-plan-on-time = on time
stats-chart-plan-late = late
stats-chart-plan-overdue = overdue
stats-chart-programmes = Programmes
stats-chart-programmes-on-time = on time
stats-chart-programmes-overdue = overdue

## File names (bot/services/file_names.py): the organisation's short name and the day follow
file-banks = Mentoring banks
file-journals = Mentoring journals
file-surveys = Questionnaire answers
file-everything = Mentoring
file-report = Analytical report { $first }-{ $last }
file-site = Mentoring page
