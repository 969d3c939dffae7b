# The pair's lifecycle, consent and referrals on aiogram-dialog (handlers/pair_lifecycle.py,
# handlers/pair_consent.py, handlers/referrals.py).

pairlife-extend-confirm = Extend pair No. { NUMBER($number, useGrouping: 0) } until { $new_end }? Reason: { $reason }.
pairlife-yes-extend = Yes, extend
pairlife-replace-confirm = Replace the mentor of pair No. { NUMBER($number, useGrouping: 0) }: { $old } → { $new }? Reason: { $reason }. The programme and the pair's history stay.
pairlife-yes-replace = Yes, replace
pairlife-yes-early = Yes, end it early
