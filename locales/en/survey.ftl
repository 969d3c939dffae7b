## Questionnaires: answering (/survey) and the curator's desk (/surveys)

survey-none = No questionnaires for you right now. When the curator sends one, it will appear here and arrive as a message.
survey-list-head = <b>Questionnaires for you</b>: { $count }
survey-list-line = • <b>{ $title }</b>{ $phase }{ $due }{ $started ->
        [true] , started: { $answered } of { $total }
       *[false] {""}
    }
survey-due = , due { $date }
survey-phase-before = (at the start of the programme)
survey-phase-after = (at the end of the programme)

survey-invitation = 📝 A questionnaire is waiting for you: “{ $title }”{ $phase ->
        [before] {" "}— at the start of the mentoring programme
        [after] {" "}— at the end of the mentoring programme
       *[once] {""}
    }.{ $due ->
        [none] {""}
       *[other] {" "}Please answer by { $due }.
    } { $count } questions, a couple of minutes. Each answer is saved at once.
survey-reminder = 🔔 Reminder: the questionnaire “{ $title }” is waiting for your answers{ $phase ->
        [before] {" "}(at the start of the programme)
        [after] {" "}(at the end of the programme)
       *[once] {""}
    }.{ $due ->
        [none] {""}
       *[other] {" "}Due { $due }.
    } You can go on from where you stopped.
survey-start = Start
survey-continue = Continue

survey-intro =
    <b>{ $title }</b>
    { $intro }

    { $count } questions. Each answer is saved at once: you can stop and come back with /survey. At the end you review your answers and send them.
survey-question-head = <b>{ $number }/{ $total }</b> · { $title }
survey-current-answer = Now: { $answer }
survey-hint-scale = From { $low } ({ $low_label }) to { $high } ({ $high_label }).
survey-hint-multi = Tick all that apply and press “Done”.
survey-hint-multi-other = Tick all that apply and press “Done”. You can also type your own answer.
survey-hint-single-other = If no option fits, type your own answer.
survey-hint-number = Type a number from { $low } to { $high }.
survey-hint-date = Type a date: DD.MM.YYYY, for example 01.09.2026.
survey-hint-text = Type your answer (up to { $limit } characters).
survey-hint-optional = You may skip this question.
survey-yes = Yes
survey-no = No
survey-done = Done
survey-back = ◀ Back
survey-skip = Skip
survey-keep = Keep ▶
survey-send = 📨 Send
survey-other-button = Your answer: { $text }
survey-answer-other = your answer: { $text }
survey-answer-scale = { $value } of { $high }
survey-answer-skipped = skipped

survey-summary-head =
    <b>{ $title }</b>
    Check your answers. To change one, press its number; if all is right, press “Send”.
survey-summary-line = { $number }. { $question }: <b>{ $answer }</b>
survey-sent = Thank you! Your answers to “{ $title }” have been sent.

survey-error-not-found = This questionnaire wasn't found or isn't meant for you.
survey-error-sent = This questionnaire has already been sent; the answers can't be changed.
survey-error-closed = This questionnaire is no longer needed: the curator closed it.
survey-error-expired = This questionnaire's deadline has passed.
survey-error-stale = This button no longer works: please answer the question on screen.
survey-error-use-buttons = Please answer with a button under the question.
survey-error-on-summary = You're reviewing your answers: press a question's number to change it, or “Send”.
survey-error-pick = Tick at least one option.
survey-error-pick-or-type = Tick at least one option or type your own.
survey-error-required = This question needs an answer.
survey-error-missing = One question still has no answer — here it is.
survey-error-text-empty = The answer is empty. Please type some text.
survey-error-text-too-long = Too long: { $length } { $length ->
        [one] character
       *[other] characters
    }, but the limit is { $limit }. Please shorten it.
survey-error-number = Type a number from { $low } to { $high }.
survey-error-integer = A whole number from { $low } to { $high }, please.
survey-error-scale = Choose a score from { $low } to { $high } with a button or type the digit.
survey-error-date = That date doesn't exist. Type it as DD.MM.YYYY, for example 01.09.2026.
survey-error-date-future = That date hasn't come yet. Give today's date or an earlier one.
survey-error-date-past = That date has passed. Give today's date or a later one.

## The curator's desk

survey-desk-head = <b>Questionnaires and monitoring</b> (page { $page }/{ $pages })
    { $launches ->
        [yes] Choose a campaign or launch a new questionnaire.
       *[no] Choose a campaign to see its results. The curator launches questionnaires.
    }
survey-desk-empty = No campaigns yet. The before-and-after questionnaire (monitoring stage 2) goes out by itself when a pair starts working.
survey-desk-campaign-button = { $standing ->
        [true] ♾ { $title }: { $done }/{ $total }
       *[false] { $title }: { $done }/{ $total }, due { $due }
    }
survey-desk-launch = ➕ Launch a questionnaire
survey-desk-swot-year = SWOT for the year
survey-desk-cancel = Cancel

survey-launch-choose = Which questionnaire do you want to launch?
survey-launch-audience = <b>{ $title }</b>
    Who should get it?
survey-audience-role = { $role ->
        [mentee] Mentees
        [mentor] Mentors
        [curator] Curators
        [head] Heads
       *[psychologist] Educational psychologists
    } ({ $count })
survey-audience-pairs = Members of active pairs ({ $count })
survey-audience-people = Choose people…
survey-launch-people = Tick who should get the questionnaire. Chosen: { $count }. Page { $page }/{ $pages }.
survey-person-button = { $name } · { $role }
survey-no-name = no name
survey-launch-deadline = By what date should people answer? Choose a term or type a date (DD.MM.YYYY).
survey-deadline-days = { $days ->
        [7] A week
        [14] 2 weeks
       *[other] { $days } { $days ->
            [one] day
           *[other] days
        }
    }
survey-launch-confirm =
    <b>{ $title }</b>
    To: { $audience } — { $count } { $count ->
        [one] person
       *[other] people
    }
    Due: { $due }

    Launch it? Everyone gets a message with a “Start” button.
survey-audience-is-role = { $role ->
        [mentee] mentees
        [mentor] mentors
        [curator] curators
        [head] heads
       *[psychologist] educational psychologists
    }
survey-audience-is-pairs = members of active pairs
survey-audience-is-people = chosen people
survey-audience-is-impact = members of pairs: at the start and at the end of the programme
survey-launch-go = 🚀 Launch
survey-launch-use-buttons = Choose with a button above or press “Cancel”.
survey-launched = The questionnaire is out: { $count } { $count ->
        [one] person
       *[other] people
    }, { $delivered } invitations queued (they go out in working hours). The others will find it in /survey.
survey-error-unknown-questionnaire = There is no such questionnaire.
survey-error-audience-empty = Nobody to send it to: no one is chosen or this group has no people yet.
survey-error-deadline-past = The deadline must be after today.
survey-error-deadline-far = That deadline is too far: { $days } days at most.

survey-card =
    <b>{ $title }</b> (version { $version })
    To: { $audience }
    Launched: { $launched } · due: { $due }
    { $anonymous ->
        [true] Anonymous: results without names.
       *[false] Named: the curator sees each person's answers.
    }

    Answered: <b>{ $done } of { $total }</b>
    Started but not finished: { $started }
    Not started yet: { $waiting }
    Deadline passed without an answer: { $late }
survey-card-who = 👥 Who answered
survey-card-remind = 🔔 Remind
survey-card-results = 📊 Results
survey-card-chart = 🖼 Chart
survey-card-export = 📥 XLSX export
survey-card-back = ◀ To the list

survey-who-head = <b>{ $done } of { $total } answered</b>
survey-who-line = { $state ->
        [submitted] ✅
        [in_progress] ⏳
        [late] ⌛
       *[assigned] ▫️
    } { $name } · { $role }{ $phase ->
        [before] {" "}· before the programme
        [after] {" "}· after the programme
       *[once] {""}
    }
survey-reminded = Reminder queued: { $delivered } of { $count }.
survey-error-reminded-recently = A reminder went out recently. The next one is possible in { $hours } h.
survey-error-nobody-to-remind = Nobody to remind: everyone has answered or the deadline has passed.

survey-results-head = <b>Results: { $title }</b>
    { $done } of { $total } answered.
survey-results-phases = At the start of the programme: { $before }, at the end: { $after }.
survey-results-anonymous = The questionnaire is anonymous: no names in the results.
survey-results-named = The questionnaire is named.
survey-results-nobody = Nobody has answered yet.
survey-results-small-group = Fewer than { $minimum } people answered: only summary figures are shown, no typed answers, so nobody can tell who answered what.
survey-result-question = <b>{ $number }. { $question }</b> — { $answered } answered
survey-result-option = { $label } — { $count } ({ $percent }%)
survey-result-in-swot = The answers are in the SWOT table below.
survey-result-other = Own answer
survey-result-stats = mean { $mean } · median { $median } · from { $low } to { $high }
survey-result-dates = from { $first } to { $last }
survey-result-more-texts = …and { $count } more in the XLSX export
survey-impact-head = <b>Before and after the programme</b> (participants with both questionnaires: { $count })
survey-impact-line = { $item }: { $before } → { $after } ({ $change }), up for { $improved } of { $people }
survey-impact-people-head = <b>By participant</b>
survey-impact-person = <b>{ $name }</b> · { $role }
survey-impact-person-line = {"  "}{ $item }: { $before } → { $after } ({ $change })
survey-impact-more-people = …and { $count } more — all in the XLSX export.

survey-swot-head = <b>SWOT analysis</b>
survey-swot-year-head = <b>SWOT for the year</b>: the open answers of all programme quality questionnaires of the last 12 months.
survey-swot-name = { $quadrant ->
        [strengths] Strengths
        [weaknesses] Weaknesses
        [opportunities] Opportunities
       *[threats] Threats
    }
survey-swot-quadrant = <b>{ $quadrant ->
        [strengths] S — strengths
        [weaknesses] W — weaknesses
        [opportunities] O — opportunities
       *[threats] T — threats
    }</b> ({ $count })
survey-swot-item = • { $text } (×{ $count })
survey-swot-empty = — no answers yet
survey-swot-more = …and { $count } more in the XLSX export
survey-swot-hidden = { $count ->
    [one] One person's answers are
   *[other] Answers of { $count } people are
} not shown: anonymous questionnaires that fewer than { $minimum } people answered.

survey-chart-nothing = A chart needs answers to scale questions.
survey-chart-caption = { $title }: { $count } answered
survey-chart-impact-title = { $title }: mean before and after
survey-chart-before = Before
survey-chart-after = After
survey-chart-note = mean { $mean } · median { $median } · n={ $count }
survey-export-caption = { $title }: answers ({ $count })
survey-export-small-group = Fewer than three people answered: exporting an anonymous questionnaire's answers would show who answered what.

survey-xlsx-answers = Answers
survey-xlsx-summary = Summary
survey-xlsx-swot = SWOT
survey-xlsx-impact = Before and after
survey-xlsx-number = No.
survey-xlsx-person = Participant
survey-xlsx-role = Role
survey-xlsx-phase = Stage
survey-xlsx-phase-once = —
survey-xlsx-phase-before = before the programme
survey-xlsx-phase-after = after the programme
survey-xlsx-submitted = Sent
survey-xlsx-question = Question
survey-xlsx-value = Option
survey-xlsx-count = Answers
survey-xlsx-mean = Mean
survey-xlsx-median = Median
survey-xlsx-change = Change
survey-xlsx-people = Participants
survey-xlsx-positive = Positive
survey-xlsx-negative = Negative
survey-xlsx-internal = Internal
survey-xlsx-external = External
