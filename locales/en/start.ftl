## Joining by invitation and consent to personal data processing

start-no-code =
    Hello! This is the kindergarten teacher mentoring bot.
    To join, you need an invitation link: ask your kindergarten's mentoring curator for one.
start-admin = Hello! You're the bot administrator. Create an organisation with /neworg.
start-code-unknown = This invitation doesn't exist. Check the link or ask your curator for a new one.
start-code-expired = This invitation has expired. Ask your curator for a new link.
start-code-revoked = The curator has revoked this invitation. If you need it, ask for a new link.
start-code-used-up = Everyone this link was meant for has already joined. Ask your curator for a new one.
start-code-no-longer-valid = The invitation stopped working while you were reading. Ask your curator for a new link.
start-already-member = You're already a member: { $organisation }. Commands: /help
start-welcome-back = Welcome back! { $organisation }. Commands: /help
start-greeting =
    Hello! You've been invited to the mentoring system: <b>{ $organisation }</b>, role: { $role }.
    Here mentors and mentees run their programme, arrange meetings and ask for help right in the chat.

consent-personal-data =
    <b>Consent to personal data processing</b>

    <b>Operator:</b> { $organisation }.
    <b>What data:</b> full name, contact phone, year of birth, position, education, teaching experience, start date at the organisation, professional request and difficulties (for mentees), strengths, achievements, interests and time for mentoring (for mentors), and your Telegram ID.
    <b>Why:</b> keeping the bank of mentors and mentees, matching pairs and groups, drawing up mentoring programmes, monitoring and reporting on the organisation's mentoring system.
    <b>How long:</b> while you take part in the mentoring system, and no longer than three years after that.
    <b>How to withdraw:</b> at any time with /privacy. After withdrawal your data is deleted, and only an anonymised record remains in reports.

    Data is stored in accordance with Federal Law 152-FZ "On Personal Data".
consent-agree = ✅ I agree
consent-decline = I don't agree
consent-waiting = To continue, answer the consent request with a button below.
consent-declined =
    OK, we haven't saved anything about you.
    If you change your mind, open the invitation link again.
consent-thanks = Thank you, your consent is recorded. Now a few short questions for the bank.
