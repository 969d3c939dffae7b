## Deadlines: plan items, the programme's end, final reports, the roadmap, the year

deadline-activity-before = ⏰ Plan item “{ $content }”: due { $due } ({ $days ->
        [one] { $days } day
       *[other] { $days } days
    } left).
deadline-activity-day = ⏰ Today, { $due }, the plan item “{ $content }” is due.
deadline-activity-late = ⚠️ Plan item “{ $content }” is overdue: it was due { $due }. Mark it done or move the date with a reason.
deadline-activity-late-mentee = ⚠️ Plan item “{ $content }” is overdue: it was due { $due }. Your mentor can mark it done or move the date.
deadline-term-soon = ⏰ The mentoring programme ({ $names }) ends on { $due }, in { $days ->
        [one] { $days } day
       *[other] { $days } days
    }. Plan fulfilled: { $done } of { $total }.
deadline-term-end = ⚠️ The mentoring programme's term ({ $names }) ended on { $due }. Plan fulfilled: { $done } of { $total }. Complete it, extend it or end it early?
deadline-term-end-again = ⚠️ The mentoring programme's term ({ $names }) ended on { $due } and nothing has been decided yet. Plan fulfilled: { $done } of { $total }. Complete it, extend it or end it early?
deadline-term-end-head = ⚠️ The mentoring programme's term ({ $names }) ended on { $due }. Plan fulfilled: { $done } of { $total }. The curator decides whether to complete, extend or end it early, and the organisation has none now: invite a curator with /invite.
deadline-term-end-again-head = ⚠️ The mentoring programme's term ({ $names }) ended on { $due } and nothing has been decided yet. Plan fulfilled: { $done } of { $total }. The curator decides, and the organisation has none now: invite a curator with /invite.
deadline-report-reminder = ⏰ The mentoring has ended. Please send your final report by { $due }.
deadline-report-late = ⚠️ No final report yet from: { $names }. It was due { $due }.
deadline-roadmap-before = ⏰ Roadmap stage “{ $stage }”: due { $due } ({ $days ->
        [one] { $days } day
       *[other] { $days } days
    } left).
deadline-roadmap-day = ⏰ Today, { $due }, the roadmap stage “{ $stage }” is due.
deadline-roadmap-late = ⚠️ Roadmap stage “{ $stage }” is overdue: it was due { $due }.
deadline-roadmap-late-desk = ⚠️ Roadmap stage “{ $stage }” was not done by { $due }.
deadline-year-bank = 📋 A new school year: refresh the bank of mentees (who becomes a mentee this year) and the mentors whose pairs ended. The bank: /bank
deadline-year-monitoring = 📋 May: time for monitoring. Launch the stage 1 (quality) and stage 2 (impact) questionnaires, due by the end of the school year: /survey
deadline-survey-left3 = ⏰ Please fill in the questionnaire by { $due } ({ $days ->
        [one] { $days } day
       *[other] { $days } days
    } left). Open: /survey
deadline-survey-left1 = ⏰ { $days ->
        [0] Today
       *[other] Tomorrow
    }, { $due }, the questionnaire is due. Open: /survey

deadline-button-done = ✅ Done
deadline-button-move = 📅 Move
deadline-button-plan = 📋 Plan
deadline-button-complete = ✅ Complete
deadline-button-extend = ⏩ Extend
deadline-button-end-early = ⏹ End early
deadline-button-report = 📝 Report
deadline-button-stage-done = ✅ Stage done
deadline-button-roadmap = 🗺 Roadmap

deadline-stage-preparation = Preparing the conditions
deadline-stage-mentee_bank = Forming the bank of mentees
deadline-stage-mentor_bank = Forming the bank of mentors
deadline-stage-mentor_training = Selecting and training mentors
deadline-stage-pairs = Forming pairs and groups
deadline-stage-work_in_pairs = Working in pairs
deadline-stage-completion = Completing the programmes
deadline-stage-information = Information support

deadline-mute-required = The Regulation on mentoring requires this reminder; it cannot be muted.
deadline-roadmap-not-a-member = Only a member of the organisation can be responsible.
deadline-report-bad-mark = Mark each item: done, done late or not done.
deadline-report-bad-score = Scores go from 1 to 5 for each criterion.
