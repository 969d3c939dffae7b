## Встречи пары: /meeting

meeting-no-pairs = У вас пока нет действующей пары: встречи записывают в действующей паре.
meeting-ask-date =
    🤝 <b>Новая встреча.</b> Когда она прошла?
    Можно написать дату, например 20.11.2026. Срок наставничества: с { $start } по { $end }.
meeting-today = Сегодня, { $today }
meeting-other-date = 📅 Другая дата
meeting-pick-day = Выберите день встречи:
meeting-date-future = Эта дата ещё не наступила: записывают встречи, которые уже прошли.
meeting-ask-format = Дата: { $date }. Как прошла встреча?
meeting-format-in_person = 🏫 Очно
meeting-format-online = 💻 Онлайн
meeting-ask-activity = К какому пункту плана относится встреча?
meeting-no-activity = Без привязки к плану
meeting-ask-duration = Сколько длилась встреча? Выберите или напишите число минут.
meeting-minutes = { $minutes } мин
meeting-duration-invalid = Напишите длительность в минутах: целое число от { $low } до { $high }.
meeting-ask-attendees = Кто из наставляемых был на встрече? Нажмите, чтобы отметить или снять отметку.
meeting-attendees-done = Готово
meeting-nobody-present = Отметьте хотя бы одного участника встречи.
meeting-ask-notes = Заметки: что обсудили? (до { $limit } символов) Или нажмите «Пропустить».
meeting-ask-next-steps = Следующие шаги: что делаем дальше? (до { $limit } символов) Или нажмите «Пропустить».
meeting-skip = Пропустить
meeting-use-buttons = Выберите вариант кнопкой выше. Выйти: /cancel.
meeting-line-when = 📅 { $date } · { $format } · { $minutes } мин
meeting-line-activity = 🗓 Пункт плана: { $content }
meeting-line-attendees = 👥 { $count ->
        [one] Был(а)
       *[other] Были
    }: { $names }
meeting-line-notes = 📝 Заметки: { $text }
meeting-line-next = ➡️ Дальше: { $text }
meeting-saved =
    ✅ Встреча записана.

    { $summary }

    Подтвердить её попросил: { $names }.
meeting-confirm-request =
    🤝 { $name } записал(а) встречу:

    { $summary }

    Подтвердите, пожалуйста, что она состоялась.
meeting-confirm = ✅ Подтверждаю
meeting-confirmed-thanks = Спасибо, встреча подтверждена.
meeting-already-confirmed = Эта встреча уже подтверждена.
meeting-confirm-not-yours = Встречу подтверждает другая сторона, а не тот, кто её записал.
meeting-confirmed-notice = ✅ { $name } подтвердил(а) встречу { $date }.
