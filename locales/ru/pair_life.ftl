# The pair's lifecycle, consent and referrals on aiogram-dialog (handlers/pair_lifecycle.py,
# handlers/pair_consent.py, handlers/referrals.py).

pairlife-extend-confirm = Продлить срок пары № { NUMBER($number, useGrouping: 0) } до { $new_end }? Причина: { $reason }.
pairlife-yes-extend = Да, продлить
pairlife-replace-confirm = Заменить наставника пары № { NUMBER($number, useGrouping: 0) }: { $old } → { $new }? Причина: { $reason }. Программа и история пары сохранятся.
pairlife-yes-replace = Да, заменить
pairlife-yes-early = Да, завершить досрочно
