## Announcements and events (handlers/broadcast.py)
command-broadcast = объявление или событие
command-events = ближайшие события
broadcast-kind = <b>Что отправить?</b>
broadcast-kind-announcement = 📣 Объявление
broadcast-kind-event = 📅 Событие с записью
broadcast-text = Напишите текст (до { $limit } знаков; жирный, курсив и ссылки сохранятся) или пришлите фото или документ с подписью.
broadcast-caption-long = Подпись к фото или документу — не длиннее { $limit } знаков. Сократите её или пришлите текст отдельно.
broadcast-day = В какой день событие?
broadcast-time = Во сколько? Напишите время, например <code>15:30</code>.
broadcast-time-wrong = Не получилось разобрать время. Напишите, например, <code>15:30</code>.
broadcast-place = Где пройдёт? Напишите место или нажмите «Пропустить».
broadcast-skip = Пропустить
broadcast-audience = <b>Кому отправить?</b>
broadcast-audience-everyone = 👥 Всем
broadcast-audience-mentors = 🧑‍🏫 Наставникам
broadcast-audience-mentees = 🌱 Наставляемым
broadcast-audience-pairs = 🤝 Участникам активных пар
broadcast-audience-form = По форме наставничества…
broadcast-audience-role = По роли…
broadcast-audience-people = Выбрать людей…
broadcast-form = Участникам пар какой формы?
broadcast-role = Какой роли?
broadcast-people = Отметьте, кому отправить, и нажмите «Готово».
broadcast-people-done = Готово
broadcast-people-none = Отметьте хотя бы одного человека.
broadcast-preview = <b>Так сообщение придёт ({ $count ->
    [one] { $count } получатель
    [few] { $count } получателя
   *[other] { $count } получателей
}), в рабочее время организации:</b>
broadcast-preview-buttons = Под сообщением будут кнопки «✅ Приду» и «❌ Не смогу».
broadcast-send = ✉️ Отправить
broadcast-nobody = В этой аудитории сейчас никого нет. Выберите другую.
broadcast-back = ◀ Назад
broadcast-cancel = Отмена
broadcast-close = Закрыть
broadcast-message-head = 📣 <b>{ $organisation }</b>
broadcast-message-event = 📅 <b>{ $when }</b>, { $place }
broadcast-coming = ✅ Приду
broadcast-not-coming = ❌ Не смогу
broadcast-answer-coming = Отметили: вы придёте. Напомним накануне и за час.
broadcast-answer-not-coming = Отметили: вы не сможете прийти.
broadcast-report = <b>Отправка</b> ({ $recipients }): доставлено { $sent }, ждут очереди { $queued }, не удалось { $failed }, заблокировали бота { $unreachable }.
broadcast-report-event = Придут: { $coming }, не смогут: { $not_coming }.
broadcast-report-cancelled = Событие отменено, участникам сообщили.
broadcast-refresh = 🔄 Обновить
broadcast-cancel-event = 🚫 Отменить событие
broadcast-cancelled = 🚫 Событие { $when } отменено: { $text }
broadcast-moved = 🔁 Событие перенесено на <b>{ $when }</b>, { $place }: { $text }
broadcast-move-event = 🔁 Перенести событие
broadcast-events-head = <b>Ближайшие события</b>
broadcast-events-line = 📅 <b>{ $when }</b>, { $place }
    { $text }
broadcast-events-none = Ближайших событий нет.
broadcast-reminder-day = ⏰ Завтра, { $when }: { $text }
    📍 { $place }
broadcast-reminder-today = ⏰ Сегодня в { $time }: { $text }
    📍 { $place }
broadcast-reminder-hour = ⏰ Через час, в { $time }: { $text }
    📍 { $place }
broadcast-head-not-allowed = Объявления отправляет куратор. Заведующий может отправлять их, если это включено в настройках организации (/settings).
broadcast-too-long = Сообщение не поместится: Telegram принимает до { $limit } знаков, а здесь больше на { $over } (вместе с названием организации, местом и строками предпросмотра). Сократите текст или место.
broadcast-shorten = ✏️ Написать короче
