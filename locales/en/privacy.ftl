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
privacy-withdrawn = Consent withdrawn, your data in { $organisation } has been deleted. The curator has been notified.
