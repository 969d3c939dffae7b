## Deadline reminders (10 days for the programme, 30 days for a mentor)

reminder-programme-soon = ⏰ The mentoring programme for { $mentees } is due by { $due } ({ $days ->
        [one] { $days } day
       *[other] { $days } days
    } left). Open it: /programme
reminder-programme-overdue = ⚠️ The programme for { $mentees } was due on { $due }. Please finish and send it: /programme
reminder-programme-overdue-desk = ⚠️ Mentor { $mentor } has not sent the programme for { $mentees }; it was due on { $due } (10 days after the pair was approved). Pairs: /pairs
reminder-mentor-soon = ⏰ { $mentee }: a mentor must be approved by { $due } (30 days after starting work, { $days ->
        [one] { $days } day
       *[other] { $days } days
    } left). Find one: /pair
reminder-mentor-overdue = ⚠️ { $mentee }: 30 days since starting work passed on { $due }, and no mentor is approved. Find one: /pair
reminder-mentor-pending-soon = ⏰ { $mentee }: a mentor must be approved by { $due } (30 days after starting work, { $days ->
        [one] { $days } day
       *[other] { $days } days
    } left). A pair is proposed but not approved yet. Pairs: /pairs
reminder-mentor-pending-overdue = ⚠️ { $mentee }: 30 days since starting work passed on { $due }, and the pair with a mentor is still not approved. Pairs: /pairs
