## Pairs and groups: matching, consent, approval, lifecycle, hand-off to the psychologist

pair-no-name = (no name)
pair-term = from { $start } to { $end }
pair-contact = { $name }
pair-contact-phone = { $name }, phone { $phone }

pair-form-traditional = traditional (one to one)
pair-form-group = group
pair-form-virtual = virtual (distance)
pair-form-short_term = short-term (goal-setting)
pair-form-reverse = reverse
pair-form-situational = situational
pair-form-speed = speed
pair-form-teacher_teacher = "teacher – teacher"
pair-form-head_teacher = "head – teacher"
pair-form-employer_student = "employer – student"
pair-form-college_teacher = "college/university teacher – young teacher"

pair-status-proposed = waiting for consent
pair-status-approval = waiting for the head's approval
pair-status-active = active
pair-status-refused = did not go ahead
pair-status-completed = completed
pair-status-ended_early = ended early

pair-programme-none = not yet
pair-programme-draft = draft
pair-programme-submitted = with the mentee to read
pair-programme-changes = changes requested
pair-programme-acknowledged = accepted

pair-reason-absence = illness, business trip or another long absence
pair-reason-agreement = by mutual agreement
pair-reason-employment_ended = the mentor is leaving
pair-reason-transferred = transfer to another position or unit
pair-reason-request = at the mentor's or mentee's request
pair-reason-duties = the mentor does not fulfil the duties
pair-reason-circumstances = other circumstances
pair-reason-parties_decided = the parties decided, for good reasons
pair-reason-curator_decided = the curator decided (not carried out, force majeure)
pair-reason-mentee_duties = the mentee does not fulfil the duties
pair-reason-consent_withdrawn = a participant withdrew consent to personal data processing
pair-reason-plan_fulfilled = the plan fulfilled in full

pair-event-proposed = proposed by the curator
pair-event-confirmed = a participant consented
pair-event-declined = a participant declined
pair-event-awaiting_approval = sent for approval
pair-event-approved = approved by the head
pair-event-rejected = not approved by the head
pair-event-activated = started
pair-event-extended = term extended
pair-event-mentor_replaced = mentor replaced
pair-event-completed = completed
pair-event-ended_early = ended early

## /pair: the curator forms a pair

pair-pick-mentees =
    <b>New pair or group</b> · page { $page }/{ $pages }
    Tick a mentee (up to { $limit } for a group) and tap "Next". Those without a mentor come first, by deadline: a mentor is approved no later than { $days } days after the mentee started work.
    Ticked: { $chosen }
pair-no-mentees = No mentees in the bank yet. Invite: /invite
pair-mentee-has-mentor = has a mentor
pair-mentee-had-mentor = had a mentor before
pair-deadline-unknown = start date unknown
pair-deadline-left = { $days ->
        [one] { $days } day left
       *[other] { $days } days left
    }
pair-deadline-overdue = { $days ->
        [one] overdue by { $days } day
       *[other] overdue by { $days } days
    }
pair-next = Next →
pair-back = ← Back
pair-cancel = Cancel
pair-done = Done

pair-pick-mentor = <b>Suitable mentors</b> for: { $mentees }
pair-no-mentors = There is no mentor with a free place and consent to mentor for { $mentees } right now. You can hand the mentee to the psychologist until a mentor is found.
pair-why-areas = Matches: { $areas }
pair-why-words = Shared words: { $words }
pair-why-nothing = No direct match with the request
pair-why-room = Free places: { $free } · hours a month: { $hours }
pair-refer = Hand to the psychologist

pair-pick-forms = Form of mentoring? You may tick several.
pair-forms-chosen = Forms: { $forms }.
pair-ask-start = Start date? Tap the button or type a date: DD.MM.YYYY.
pair-start-today = Today, { $date }
pair-ask-end = Starts { $start }. End date? The term is { $low } to { $high } months. Tap a button or type a date: DD.MM.YYYY.
pair-end-after = { $months ->
        [12] for a year
        [one] for { $months } month
       *[other] for { $months } months
    } (to { $date })
pair-summary =
    <b>Please check</b>
    Mentor: { $mentor }
    Mentees: { $mentees }
    Forms: { $forms }
    Term: from { $start } to { $end }
    { $head ->
        [true] The participants will be asked for consent, then the head approves the pair.
       *[other] The participants will be asked for consent; once all agree, the pair starts.
    }
pair-send = Send for consent
pair-proposed = Pair No. { NUMBER($number, useGrouping: 0) } proposed. Waiting for the participants' consent; I will report each step. All pairs: /pairs
pair-cancelled = Forming the pair cancelled, nothing saved.

pair-pick-mentee = Tick at least one mentee.
pair-group-limit = A mentor's group has at most { $limit } mentees (Regulation on mentoring).
pair-mentee-has-pair = { $name } already has a mentor or a proposed pair. To change the mentor, open the pair in /pairs
pair-own-mentor = Nobody can be their own mentor: choose another one.
pair-mentor-no-consent = This mentor has not given written consent to mentor and cannot be appointed (Regulation on mentoring).
pair-pick-form = Tick at least one form of mentoring.
pair-group-needs-two = The group form is one mentor with two or more mentees. Tick another form or add mentees.
pair-start-in-past = The start date has passed. Give today or a later date.
pair-start-too-far = The start date is too far ahead: at most a year from now.

## Consent of the participants and the head's approval

pair-request-mentor =
    <b>The curator proposes you as a mentor</b> (pair No. { NUMBER($number, useGrouping: 0) })
    { $count ->
        [one] Mentee
       *[other] Mentees
    }: { $mentees }
    Forms: { $forms }
    Term: { $term }
    Do you agree to mentor? Your answer is your written consent to the appointment (Regulation on mentoring).
pair-request-mentee =
    <b>The curator proposes a mentor for you</b> (pair No. { NUMBER($number, useGrouping: 0) })
    Mentor: { $mentor }
    Forms: { $forms }
    Term: { $term }
    Do you agree? Your answer is your written consent to the appointment of the mentor.
pair-group-with = Also in the group: { $names }
pair-confirm-yes = ✅ I confirm
pair-confirm-no = ✖ I decline
pair-confirmed-thanks = Thank you, your consent to pair No. { NUMBER($number, useGrouping: 0) } is recorded. I will tell you when the pair starts.
pair-already-confirmed = You have already consented to this pair.
pair-already-declined = You have already declined this pair.
pair-no-longer-proposed = This pair is no longer waiting for an answer.
pair-ask-decline-reason = Please write why you decline pair No. { NUMBER($number, useGrouping: 0) }; the curator will receive it.
pair-declined-thanks = Your refusal of pair No. { NUMBER($number, useGrouping: 0) } is recorded; the curator will receive your reason.
pair-declined-desk = Pair No. { NUMBER($number, useGrouping: 0) } will not go ahead: { $name } ({ $role }) declined. Reason: "{ $reason }". Form again: /pair
pair-refused-others = Pair No. { NUMBER($number, useGrouping: 0) } will not go ahead. The curator will find another option.
pair-all-confirmed-desk = All participants of pair No. { NUMBER($number, useGrouping: 0) } have consented. The pair is with the head for approval.

pair-approval-request =
    <b>Please approve pair No. { NUMBER($number, useGrouping: 0) }</b>
    Mentor: { $mentor }
    Mentees: { $mentees }
    Forms: { $forms }
    Term: { $term }
    All participants have given written consent.
pair-approve = ✅ Approve
pair-reject = ✖ Do not approve
pair-ask-order = Number and date of the order approving pair No. { NUMBER($number, useGrouping: 0) }? For example: No. 45 of 01.12.2026. Or tap "Without an order number".
pair-order-skip = Without an order number
pair-approved-thanks = Pair No. { NUMBER($number, useGrouping: 0) } approved; the participants have been told.
pair-ask-reject-reason = Please write why pair No. { NUMBER($number, useGrouping: 0) } is not approved; the curator will receive it.
pair-rejected-thanks = Recorded: pair No. { NUMBER($number, useGrouping: 0) } is not approved.
pair-rejected-desk = The head did not approve pair No. { NUMBER($number, useGrouping: 0) }. Reason: "{ $reason }". Form again: /pair
pair-already-decided = This pair has already been decided on.
pair-not-active = This pair is not active: the action is not available.

pair-active-mentor =
    <b>Pair No. { NUMBER($number, useGrouping: 0) } has started!</b>
    Your { $count ->
        [one] mentee
       *[other] mentees
    } (tap the name to write in Telegram):
    { $mentees }
    Term: { $term }
    Please write the personalised mentoring programme by { $due }, within { $days } days of the approval (Regulation on mentoring).
pair-active-mentee =
    <b>Pair No. { NUMBER($number, useGrouping: 0) } has started!</b>
    Your mentor (tap the name to write in Telegram): { $mentor }
    Term: { $term }
    The mentor will write the programme by { $due }, and you will read it. Need help at work? Use /sos.
pair-active-desk = Pair No. { NUMBER($number, useGrouping: 0) } has started: { $mentor } — { $mentees }. Programme due by { $due }.

## /pairs: the list and a pair's card

pairs-header = <b>Pairs and groups</b>: { $total } · page { $page }/{ $pages }
pairs-empty = No pairs yet. Form one: /pair
pairs-line =
    <b>No. { NUMBER($number, useGrouping: 0) }</b> · { $status } · programme: { $programme }
    { $mentor } → { $mentees }
    { $term }
pairs-open = No. { NUMBER($number, useGrouping: 0) } · { $mentor }
pairs-card =
    <b>Pair No. { NUMBER($number, useGrouping: 0) }</b> · { $status }
    Mentor: { $mentor }
    Mentees: { $mentees }
    Forms: { $forms }
    Term: { $term }
    Programme: { $programme }
pairs-card-order = Order: { $order }
pairs-history = <b>History</b>
pairs-history-line = { $date } — { $event }
pairs-history-to = to { $date }
pairs-history-replaced = { $old } → { $new }
pairs-back = ← Back to pairs

## A pair's lifecycle

pairlife-extend = Extend the term
pairlife-replace = Replace the mentor
pairlife-early = End early
pairlife-complete = Complete: programme fulfilled
pairlife-back = ← Back to the pair
pairlife-extend-why = Extending pair No. { NUMBER($number, useGrouping: 0) } (now to { $end }). Why?
pairlife-extend-until = Extend pair No. { NUMBER($number, useGrouping: 0) } (now to { $end }) until when? Tap a button or type a date: DD.MM.YYYY.
pairlife-extend-by = { $months ->
        [one] +{ $months } month
       *[other] +{ $months } months
    } (to { $date })
pairlife-extend-again = Type another end date: DD.MM.YYYY. To leave: /cancel
pair-extend-not-later = The new end date must be later than the current one ({ $end }).
pair-extend-too-far = A term can be extended by at most { $months } months at a time.
pairlife-extended = Pair No. { NUMBER($number, useGrouping: 0) } is extended to { $end }. Reason: { $reason }.
pairlife-extended-told = The mentoring (pair No. { NUMBER($number, useGrouping: 0) }) is extended to { $end }. Reason: { $reason }.
pairlife-replace-why = Replacing the mentor of pair No. { NUMBER($number, useGrouping: 0) }. Why?
pairlife-replace-pick = Who becomes the mentor of pair No. { NUMBER($number, useGrouping: 0) }? The programme and the pair's history are kept.
pairlife-no-mentors = There is no other mentor with a free place and consent right now.
pair-same-mentor = That is the pair's current mentor.
pairlife-replaced = The mentor of pair No. { NUMBER($number, useGrouping: 0) } is replaced: { $old } → { $new }. The programme and history are kept; the participants have been told.
pairlife-replaced-old = You are no longer the mentor of pair No. { NUMBER($number, useGrouping: 0) }. Reason: { $reason }. Thank you for your work!
pairlife-replaced-new =
    <b>You are now the mentor of pair No. { NUMBER($number, useGrouping: 0) }</b>, taking over from the previous mentor.
    { $count ->
        [one] Mentee
       *[other] Mentees
    } (tap the name to write in Telegram):
    { $mentees }
    Term: { $term }
    The programme and the pair's history are kept: carry on where it stopped.
pairlife-replaced-mentee =
    You have a new mentor (pair No. { NUMBER($number, useGrouping: 0) }): { $mentor }
    Reason for the change: { $reason }. The programme and the pair's history are kept.
pairlife-early-why = Ending pair No. { NUMBER($number, useGrouping: 0) } early. Why?
pairlife-early-confirm = End pair No. { NUMBER($number, useGrouping: 0) } early? Reason: { $reason }.
pairlife-complete-confirm = Mark the programme of pair No. { NUMBER($number, useGrouping: 0) } as fulfilled and the mentoring as completed?
pairlife-yes-complete = Yes, programme fulfilled
pairlife-completed = Pair No. { NUMBER($number, useGrouping: 0) } is completed: programme fulfilled.
pairlife-ended-early = Pair No. { NUMBER($number, useGrouping: 0) } ended early. Reason: { $reason }.
pairlife-completed-told = The mentoring (pair No. { NUMBER($number, useGrouping: 0) }) is completed: programme fulfilled. Thank you for your work!
pairlife-ended-early-told = The mentoring (pair No. { NUMBER($number, useGrouping: 0) }) ended early. Reason: { $reason }.

## Hand-off to the psychologist (roadmap stage 5)

referral-ask-note = Handing to the psychologist for support while a mentor is sought: { $mentees }. Write briefly what support is needed, or tap "No comment".
referral-no-note = No comment
referral-done = { $count ->
        [one] The mentee is
       *[other] The mentees are
    } now with the psychologist: { $psychologist }. You can go on looking for a mentor in /pair.
referral-no-psychologist = The organisation has no psychologist. Invite one: /invite
referral-already-open = This mentee is already with the psychologist.
referral-already-closed = Support for this referral is already marked as given.
referral-told =
    <b>The curator asks you to support { $count ->
        [one] a mentee
       *[other] mentees
    }</b> while a mentor is sought: { $mentees }.
    Contacts and request: /support
referral-told-note = The curator's comment: "{ $note }"
referral-psychologist-left =
    The psychologist withdrew consent and no longer supports { $count ->
        [one] this mentee
       *[other] these mentees
    }: { $mentees }. To hand them to another psychologist: /pair → the mentee → “Next” → “Hand to the psychologist”.
referral-none = Nobody has been handed to you for support right now.
referral-header = <b>Supporting mentees</b>: { $count }
referral-line =
    <b>{ $name }</b>, phone { $phone }
    Request: { $request }
    Difficulties: { $difficulties }
    Handed over: { $since } · comment: { $note }
    { $paired ->
        [true] A mentor has been found.
       *[other] No mentor yet.
    }
referral-close = ✅ Support given: { $name }
referral-closed = Marked: support given.
pair-event-mentee_left = a mentee left the group
