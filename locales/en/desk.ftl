## Organisations, invitations and the bank (curator, head, administrator)

org-ask-name = What's the organisation's full name? For example: Kindergarten No. 5 "Sunshine".
org-ask-short-name = A short name for buttons and lists? For example: KG No. 5.
org-ask-timezone = The organisation's time zone? Pick one with a button or type it, for example: Europe/Moscow.
org-ask-curator = Who will be the mentoring curator?
org-curator-myself = Me
org-curator-invite = I'll assign one with an invitation link
org-created = Organisation created: <b>{ $name }</b>, time zone { $timezone }.
org-you-are-curator = You're the curator. Invite members: /invite
org-choose = Choose an organisation:
org-switched = You're now working in { $name }.

tz-Europe-Kaliningrad = Kaliningrad (MSK−1)
tz-Europe-Moscow = Moscow (MSK)
tz-Europe-Samara = Samara (MSK+1)
tz-Asia-Yekaterinburg = Yekaterinburg (MSK+2)
tz-Asia-Omsk = Omsk (MSK+3)
tz-Asia-Novosibirsk = Novosibirsk (MSK+4)
tz-Asia-Krasnoyarsk = Krasnoyarsk (MSK+4)
tz-Asia-Irkutsk = Irkutsk (MSK+5)
tz-Asia-Yakutsk = Yakutsk (MSK+6)
tz-Asia-Vladivostok = Vladivostok (MSK+7)
tz-Asia-Magadan = Magadan (MSK+8)
tz-Asia-Kamchatka = Kamchatka (MSK+9)

invite-no-organisation = You need an organisation first: create one (/neworg) or choose one (/org).
invite-choose-role = Who do you want to invite to { $organisation }?
invite-choose-limit = Invitation: { $role }. How many people can join with the link?
invite-uses = { $count ->
        [one] { $count } person
       *[other] { $count } people
    }
invite-uses-unlimited = No limit
invite-may-join = for { $count ->
        [one] { $count } person
       *[other] { $count } people
    }
invite-may-join-any = for any number of people
invite-created =
    Invitation ready: { $role }.
    { $link }
    Valid until { $expires } { $uses }. Forward the link to the people you're inviting.
invite-revoked = Invitation revoked ({ $role }).
invite-already-revoked = This invitation has already been revoked.
invites-none = No active invitations. Create one: /invite
invites-header = <b>Active invitations</b>
invites-line = { $number }. { $role }: { $used } of { $limit } joined, until { $expires }
    { $link }
invites-revoke = Revoke No. { NUMBER($number, useGrouping: 0) }

bank-header = <b>Bank</b>: { $total } · { $filter } · p. { $page }/{ $pages }
bank-empty = Nobody here yet.
bank-anonymous = (data deleted)
bank-no-pair = no pair
bank-withdrawn = consent withdrawn
bank-back = ◀ Back to list
bank-filter-all = All
bank-filter-mentors = Mentors
bank-filter-mentees = Mentees
bank-filter-nopair = No pair
bank-filter-withdrawn = Withdrew consent
bank-filter-young_specialist = Young specialists
bank-filter-new_technology = New technology
bank-filter-new_to_team = New to the team
bank-filter-non_pedagogical = Non-teaching education
bank-card-title = <b>Card</b>: { $role }, { $organisation }
bank-card-joined = Joined the programme: { $date }
bank-card-withdrawn = Consent withdrawn on { $date }, personal data deleted.
bank-card-pair = { $has ->
        [true] Pair or group: yes
       *[false] Pair or group: no
    }
bank-find-mentor = 🤝 Find a mentor

delivery-summary = <b>Message delivery</b>
    Queued: { $queued }
    Sent today: { $sent }
    Could not be sent: { $failed }
    Unreachable (blocked the bot): { $unreachable }
delivery-failed-header = <b>Not sent:</b>
delivery-failed-line = • { $purpose }: { $error }
delivery-unreachable-header = <b>Blocked the bot:</b>
delivery-unreachable-more = …and { $count } more
delivery-purpose-broadcast = broadcast
delivery-purpose-help = situational help
delivery-purpose-reminder = reminder
delivery-purpose-pair = pair or group
delivery-purpose-survey = questionnaire
delivery-purpose-programme = programme
delivery-purpose-notice = notice
