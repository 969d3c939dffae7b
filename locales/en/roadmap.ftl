## The organisation's roadmap: /roadmap and the buttons of stage reminders

command-roadmap = mentoring roadmap

roadmap-title = 🗺 <b>Roadmap for the { $years } school year</b>
roadmap-mine-title = 🗺 <b>Your roadmap stages, { $years }</b>
roadmap-not-set-up-curator = This school year's roadmap is not set up yet. Set it up from the standard template: 7 stages with their actions filled in; then give each a deadline and a responsible person.
roadmap-not-set-up-head = This school year's roadmap is not set up yet. The curator sets it up.
roadmap-progress = Stages done: <b>{ $done } of { $total }</b>
roadmap-next-due = ⏰ Next deadline: { $due }, “{ $stage }”
roadmap-no-next-due = No deadlines ahead.
roadmap-overdue = ⚠️ Overdue: { $stages }
roadmap-read-only = Only the curator can change the roadmap.
roadmap-mine-empty = You have no roadmap stages now.
roadmap-set-up = 📋 Set up from the template
roadmap-set-up-done = The roadmap is set up. Open a stage to give it a deadline and a responsible person.
roadmap-year-previous = ◀ { $years }
roadmap-year-next = { $years } ▶

roadmap-stage-done = ✅ { $position }. { $name }
roadmap-stage-due = ⏰ { $position }. { $name } · by { $due }
roadmap-stage-overdue = ⚠️ { $position }. { $name } · { $due }
roadmap-stage-open = ▫️ { $position }. { $name }

roadmap-stage-title = 🗺 <b>Stage { $position } of { $total }: { $name }</b>
roadmap-stage-year = School year: { $years }
roadmap-state-done = ✅ Done { $date }
roadmap-state-due = ⏰ Due { $due } ({ $days ->
        [0] today
        [one] { $days } day left
       *[other] { $days } days left
    })
roadmap-state-overdue = ⚠️ Overdue: it was due { $due }
roadmap-state-open = ▫️ No deadline
roadmap-responsible = 👤 Responsible: { $name }
roadmap-responsible-nobody = 👤 Nobody is responsible yet
roadmap-actions-title = <b>Actions:</b>
roadmap-actions-none = No actions written.

roadmap-edit-actions = ✏️ Actions
roadmap-edit-deadline = 📅 Deadline
roadmap-edit-responsible = 👤 Responsible
roadmap-mark-done = ✅ Stage done
roadmap-mark-not-done = ↩️ Not done
roadmap-back = ← To the roadmap
roadmap-back-to-stage = ← To the stage

roadmap-ask-actions = ✏️ Write the actions of the stage “{ $name }” in one message, up to { $limit } characters. Now:
roadmap-ask-deadline = 📅 Choose the deadline of the stage “{ $name }” ({ $first } to { $last }).
roadmap-no-deadline = No deadline
roadmap-ask-responsible = 👤 Who is responsible for the stage “{ $name }”?
roadmap-nobody = Nobody
roadmap-member = { $name } ({ $role })
roadmap-member-unnamed = { $role }, no name given

roadmap-saved-actions = Actions saved.
roadmap-saved-deadline = Deadline saved: { $due }.
roadmap-saved-no-deadline = Deadline removed.
roadmap-saved-responsible = Responsible: { $name }.
roadmap-saved-nobody = Nobody is responsible now.
roadmap-marked-done = ✅ The stage is marked done.
roadmap-marked-not-done = The stage is no longer marked done.

roadmap-done-thanks = ✅ The stage “{ $name }” is marked done. Thank you!
roadmap-already-done = This stage is already marked done.
roadmap-not-yours = Only the person responsible for the stage or the curator can mark it done.
roadmap-not-allowed = The roadmap is open to the curator, the head and those responsible for its stages.
roadmap-done-notice = ✅ The roadmap stage “{ $stage }” is done. Marked by { $name }.
roadmap-someone = a colleague

## The template's actions (seeds 001 and 004); they can be changed
roadmap-template-preparation = The order approving the Regulation on mentoring; the Regulation; the year's roadmap; orders assigning mentoring pairs and groups with the written consent of their members.
roadmap-template-mentee_bank = Collecting teachers' professional requests; forming the bank of mentees; consents to the processing of personal data.
roadmap-template-mentor_bank = A questionnaire for teachers who wish to mentor; interviews; forming the bank of mentors; consents to the processing of personal data.
roadmap-template-mentor_training = Analysing the bank of mentors and choosing mentors for programmes; methodical materials; consultations and sharing experience, mentors' briefing sessions.
roadmap-template-pairs = Forming pairs and groups; a personalised mentoring programme for each; pairs working through their programmes; psychological and pedagogical support for mentees who have no mentor yet.
roadmap-template-completion = Monitoring the programmes' quality (questionnaires); a seminar or conference; a closing round table on best practices; adding to the methodical collection; final reports.
roadmap-template-information = News of the roadmap's events at every stage on the kindergarten's site (the «Mentoring» section) and social networks, and where possible at the municipal and regional level.

roadmap-approve = ✅ Approve the roadmap
roadmap-approved = ✅ Approved by the head on { $date }.
roadmap-not-approved = 📝 Not approved by the head: once written or changed, the head approves it.
roadmap-approved-thanks = The roadmap is approved.
roadmap-approved-notice = ✅ The head approved the mentoring roadmap for the { $years } school year.
