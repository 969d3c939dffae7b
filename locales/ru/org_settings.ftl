## /settings: рабочие дни, часы и праздники организации

settings-working-days = 🗓 Рабочие дни: { $days }
settings-working-hours = 🕘 Рабочие часы: { $hours }
settings-holidays-count = 🎉 Праздничных и нерабочих дней впереди: { $count }
settings-working-note = Напоминания и приглашения приходят только в рабочие часы рабочих дней.
settings-days-button = 🗓 Рабочие дни
settings-hours-button = 🕘 Рабочие часы
settings-holidays-button = 🎉 Праздники
settings-close = Закрыть
settings-back = « Назад
settings-days-ask = Отметьте рабочие дни недели (нажатие включает или выключает день).
settings-start-ask =
    Сейчас рабочие часы: { $hours }.
    Во сколько начинается рабочий день?
settings-end-ask = Рабочий день начинается в { $start }. Во сколько он заканчивается?
settings-holidays-title = <b>Праздничные и нерабочие дни</b> (нажмите ✖, чтобы убрать день):
settings-holidays-none = Праздничных и нерабочих дней впереди нет.
settings-holiday-add = ➕ Добавить день
settings-holiday-ask = Выберите праздничный или нерабочий день.
settings-holiday-added = { $date } — нерабочий день.
settings-holiday-known = { $date } уже отмечен нерабочим.
settings-holiday-removed = День убран из нерабочих.
settings-one-day-at-least = Должен остаться хотя бы один рабочий день.
settings-hours-order = Рабочий день должен заканчиваться позже, чем начинается.
