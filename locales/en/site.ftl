## The «Наставничество» page for the organisation's site (bot/services/site_page.py)
site-title = Mentoring — { $organisation }
site-intro = Our kindergarten runs a mentoring system for teaching staff: experienced teachers help young and new colleagues into the profession and the team.
site-news = News and events
site-no-news = No events yet.
site-cancelled = cancelled
site-cases = Completed mentoring programmes
site-no-cases = No programme has been completed yet.
site-case-named = Mentor { $mentor } — { $mentees }
site-case-anonymous = { $mentees ->
    [one] A mentor and a young teacher
   *[other] A mentor and a group of young teachers
}
site-case-term = Term: { $first } to { $last }
site-case-forms = Form of mentoring: { $forms }
site-case-goal = Goal: { $goal }
site-case-plan = Plan items done: { $done } of { $total }
site-documents = Documents
site-document-regulation = Regulation on the mentoring of teaching staff
site-document-order = Order introducing the mentoring system
site-document-roadmap = Roadmap of the mentoring system
site-document-programmes = Personalised mentoring programmes
site-document-report = Yearly analytical report on the mentoring system
