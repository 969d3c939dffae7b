## Common texts: roles, commands, help, language, cancel, errors

role-head = head
role-curator = curator
role-mentor = mentor
role-mentee = mentee
role-psychologist = educational psychologist

command-start = start
command-help = what I can do
command-profile = my profile
command-privacy = my data and consent
command-language = language
command-cancel = leave the dialogue
command-bank = bank of mentors and mentees
command-invite = invite with a link
command-invites = active invitations
command-org = choose an organisation
command-neworg = new organisation
command-sos = I need my mentor's help
command-requests = open requests for help
command-programme = mentoring programme
command-plan = plan and progress
command-meeting = log a meeting
command-pair = form a pair or group
command-pairs = pairs and groups
command-support = mentees to support
command-survey = my questionnaires
command-surveys = questionnaires and monitoring
command-delivery = message delivery

help-guest =
    I help a kindergarten run its teacher mentoring system.
    To get started, ask your mentoring curator for an invitation link and open it.
help-member =
    <b>{ $organisation }</b>, your role: { $roles }.
    What you can do:

language-choose = Choose a language:
language-ru = Русский
language-en = English
language-set = Done, we'll speak English.

cancel-done = You have left the dialogue. Everything you had sent is saved; /help shows where to go on.
cancel-nothing = There's nothing to cancel right now.

fallback-not-understood = Sorry, I didn't get that. Commands: /help

error-unexpected = Sorry, something went wrong. Nothing you saved is lost: please try again a bit later.
error-not-allowed = This action isn't available for your role.
error-private-only = I only work in a private chat: write to me at @{ $bot }.
error-stale-button = This button no longer works. Please open the section again.
error-dialog-outdated = The bot has been updated and this step is gone. Please open the section again (/help lists the commands).
error-not-found = The record wasn't found or isn't available to you.
error-text-empty = The answer is empty. Please type some text.
error-text-too-long = Too long: { $length } { $length ->
        [one] character
       *[other] characters
    }, but the limit is { $limit }. Please shorten it.
error-name = Please write your full name in letters, for example: Maria Ivanova.
error-phone = That doesn't look like a phone number. Example: +7 912 345-67-89.
error-phone-not-yours = Please share your own number: the button below will send it for you.
error-year-format = Write your birth year as four digits, for example: 1995.
error-year-age = That birth year makes you { $age }. Please check it: participants must be { $low } to { $high } years old.
error-number = Write a whole number from { $low } to { $high }.
error-date = That date doesn't exist. Write it as DD.MM.YYYY, for example: 01.09.2025.
error-date-future = That date hasn't come yet. Give the day you actually started work.
error-date-too-early = That date is too early: the year must be { $year } or later.
error-experience-age = That's more experience than your birth year allows. Please check the number.
error-not-optional = This question needs an answer.
error-pick-something = Tick at least one option or write your own.
error-timezone = I don't know that time zone. Pick one with a button or type it, for example: Europe/Moscow.

desk-member-joined = A new member has joined the bank: { $name }, { $role } ({ $organisation }). Profile completed.
desk-consent-withdrawn = A participant ({ $roles }) has withdrawn consent to personal data processing. Their data has been deleted; an anonymised record remains in the bank.
pair-ended-consent-withdrawn = Pair No. { NUMBER($number, useGrouping: 0) } has ended: a participant withdrew consent to personal data processing.

rule-term-too-short = Mentoring lasts at least { $months ->
        [one] { $months } month
       *[other] { $months } months
    } (the mentoring regulation). Choose a later end date.
rule-term-too-long = Mentoring lasts at most a year (the mentoring regulation). Choose an earlier end date.
rule-mentor-capacity = This mentor already has { $current } of { $limit } mentees: no more than { $limit } at a time (the mentoring regulation).
rule-date-outside-term = The date must be within the mentoring term: { $start } to { $end }.
delivery-unreachable = Messages cannot be delivered: { $name } ({ $role }) has blocked the bot. Please reach them another way.
pair-left-consent-withdrawn = A mentee has left group No. { NUMBER($number, useGrouping: 0) }: they withdrew consent to personal data processing. The group goes on.

## Typed input in a dialog (handlers/dialog_kit.py)
input-text-length = Please write between { $min } and { $max } characters.
input-number-range = Please write a whole number from { $low } to { $high }.
input-date-range = Please write a date as DD.MM.YYYY, from { $earliest } to { $latest }.
input-not-understood = That could not be read. Please write it again.
input-text-expected = A text is needed here. Write your answer or tap a button above; /cancel leaves.
input-use-buttons = Please answer with a button under the message; /cancel leaves.
