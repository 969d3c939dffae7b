## Situational mentoring: a request for help, its thread, the rating

help-button = 🆘 Need help
help-only-mentees = Mentees ask for help with /sos.

help-describe-mentor =
    Describe the situation: in text, a voice message, a photo, a video or a file — several messages are fine.
    I will pass it to your mentor straight away: { $name }.
    Changed your mind? /cancel.
help-describe-desk =
    Describe the situation: in text, a voice message, a photo, a video or a file — several messages are fine.
    You have no mentor yet, so I will pass it to the mentoring curator straight away.
    Changed your mind? /cancel.
help-continue = Request #{ $number } is still open. Write, and I will pass your messages on. If it is settled, close the request.
help-unsupported = I cannot pass this kind of message on. Send text, a voice message, a photo, a video, a video message or a file.

help-sent-mentor = Request #{ $number } was passed to your mentor: { $name }. The answer will come here. You can add more — just keep writing.
help-sent-desk = Request #{ $number } was passed to the mentoring curator. The answer will come here. You can add more — just keep writing.
help-added = Added to request #{ $number }.
help-nobody = Request #{ $number } is saved, but there is nobody to pass it to: the organisation has no curator. Please tell the head.
help-not-delivered = ⚠️ Could not deliver the message: { $names } — Telegram does not accept it (the bot may be blocked). The message is saved and the curator has been told.
help-not-delivered-escalated = ⚠️ Could not deliver the message: { $names } — Telegram does not accept it. The message is saved and passed to the mentoring curator: the answer will come here.

help-write-prompt =
    Write your answer to request #{ $number }: text, a voice message, a photo, a video or a file — I will pass it on.
    To leave the conversation: /cancel (the request stays open).
help-answer = ✍️ Answer
help-close = ✅ Close the request
help-pass = 🧠 Pass to the psychologist

help-person = { $name } ({ $role })
help-no-name = no name
help-nobody-name = —
help-new-header = 🆘 <b>Request for help #{ $number }</b> from: { $author }
help-relay-header = 💬 <b>Request #{ $number }</b> · { $author }
help-history-header = <b>#{ $number }</b> · { $author }, { $moment }
help-history-undelivered = ⚠️ not delivered to the recipient
help-history-erased = <i>Message deleted.</i>
help-history-more = Showing the last { $shown } of { $total } messages.

help-closed = Request #{ $number } is closed. If you need help again: /sos.
help-already-closed = Request #{ $number } is already closed.
help-not-yours = This request is not open to you.
help-closed-by-you = Request #{ $number } is closed. Thank you!
help-closed-notice = Request #{ $number } is closed. Closed by: { $who }.
help-rate-ask = Please rate how much the help with request #{ $number } helped: from 1 (not at all) to 5 (a lot).
help-rated = Thank you! Your rating: { $rating } of 5. If you need help again, tap «🆘 Need help» or send /sos.
help-rate-open = Request #{ $number } is still open: the help can be rated once it is closed.
help-already-rated = You have already rated the help: { $rating } of 5.

help-mentee-escalated = Your mentor has not answered yet, so I have passed request #{ $number } to the mentoring curator as well. The answer will come here.
help-mentee-escalated-left = Your mentor is no longer in the programme, so I have passed request #{ $number } to the mentoring curator. The answer will come here.
help-escalated-overdue =
    ⏰ Request for help #{ $number } from: { $mentee }.
    The mentor { $helper } has not answered within { $hours } { $hours ->
        [one] working hour
       *[other] working hours
    }. Answer it yourself or pass it to the psychologist. The conversation:
help-escalated-unreachable =
    ⚠️ Request for help #{ $number } from: { $mentee }.
    It could not be delivered to the mentor { $helper }: Telegram does not accept messages (the bot may be blocked). Answer it yourself or pass it to the psychologist. The conversation:
help-escalated-left =
    ⚠️ Request for help #{ $number } from: { $mentee }.
    The mentor is no longer in the programme, and the request is still open. Answer it yourself or pass it to the psychologist. The conversation:
help-desk-undelivered =
    ⚠️ Request for help #{ $number }: a message from { $author } could not be delivered: { $names } (the bot may be blocked).
    The message is saved. Please get in touch with them directly.

help-no-psychologist = The organisation has no psychologist yet. Invite one with /invite, or answer yourself.
help-choose-psychologist = Which psychologist should take request #{ $number }?
help-already-passed = Request #{ $number } is already with this psychologist.
help-passed = Request #{ $number } was passed to the psychologist: { $name }.
help-passed-to-you = 🧠 The curator has passed you request for help #{ $number } from: { $mentee }. The conversation:
help-passed-mentee = Your request #{ $number } was passed to the psychologist: { $name }. The answer will come here.
help-passed-previous = The curator has passed request #{ $number } to the psychologist: { $name }, who takes the conversation on from here. Thank you for your part!

help-requests-header = Open requests for help: { $count }. Pick one to read the conversation and answer.
help-requests-empty = There are no open requests for help.
help-requests-row = #{ $number } · { $mentee } · { $moment }
help-requests-row-waiting = ⏳ #{ $number } · { $mentee } · { $moment } · waiting for an answer
help-open-summary =
    <b>Request for help #{ $number }</b> from: { $mentee }, opened { $moment }. Helping: { $helper }.
    Write — I will pass it on to the request; to leave: /cancel.

## A reply without «Reply», taking it back, choosing a thread
help-taken =
    I passed this on as the answer to request #{ $number }. Keep writing — it goes to the same request.
    If it was not meant for the request, take the answer back: the recipient will see a note that you withdrew it.
help-take-back = ↩️ Take the answer back
help-withdrawn-note = ↩️ I withdraw my message “{ $text }” — please disregard it.
help-answer-withdrawn = The answer to request #{ $number } is withdrawn: the recipient will see a note. Write if needed — it goes to the request; to leave: /cancel.
help-reply-which = You have several open requests. Which one is this answer for?
help-media-needs-thread = To send this in a request for help, tap «✍️ Answer» under the request (the list: /requests) and send it again.
help-reply-drop = Do not send
