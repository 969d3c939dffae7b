## /privacy: consent, export and withdrawal

privacy-nothing-stored = Nothing is stored about you except your chosen language.
privacy-summary = <b>My data</b>: { $organisation }
privacy-consent-given = Consent to personal data processing given on { $date } (text version { $version }).
privacy-consent-none = No active consent.
privacy-show-text = 📄 Consent text
privacy-export = 📦 Export my data
privacy-export-caption = Everything the bot stores about you, in one file.
privacy-withdraw = Withdraw consent
privacy-withdraw-confirm =
    Withdraw your consent in { $organisation }?
    Your personal data will be deleted, and only an anonymised record will remain in reports. You can come back later with a new invitation link.
privacy-withdraw-yes = Yes, withdraw and delete my data
privacy-withdraw-no = No, keep it
privacy-kept = OK, everything stays as it was.
privacy-withdrawn =
    Consent withdrawn, your data in { $organisation } has been deleted: the profile, answers, texts written by you and about you (help requests and the replies, meeting notes, the programme, reasons and comments), files and messages to you. Your pairs have ended; the curator has been notified.
    Only an anonymous record remains — the role and the dates of participation, with no name and no link to your Telegram — so the organisation's mentoring reports stay true, and the record of the consent given and withdrawn, as proof that the earlier processing was lawful.
privacy-export-text-caption = The same as text, section by section.
export-section-profile = Profile
export-section-consents = Consents
export-section-questionnaires = Monitoring questionnaires
export-section-pair_confirmations = Pair consents and refusals
export-section-pair_events = Pair history
export-section-programmes = Mentoring programmes
export-section-activities = Activity plan
export-section-meetings = Meetings
export-section-help_messages = Help requests
export-section-referrals = Referrals to the psychologist
export-section-final_reports = Final reports
export-section-messages = Messages to you
privacy-named-yes = 🌐 You agreed to be named on the organisation's «Mentoring» page (in the cases of completed programmes).
privacy-named-on = 🌐 You may name me on the site
privacy-named-off = 🌐 Do not name me on the site
privacy-named-saved = Saved.
