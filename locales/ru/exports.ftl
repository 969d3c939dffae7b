## The curator's exports (bot/services/banks.py): the sample forms of seed 003, appendix 3
export-sheet-mentees = Банк наставляемых
export-sheet-mentors = Банк наставников
export-col-number = №
export-col-full-name = ФИО
export-col-contacts = Контакты
export-col-birth-year = Год рождения
export-col-main-request = Основной запрос
export-col-entered-on = Дата вхождения в программу
export-col-mentor-name = ФИО наставника
export-col-form = Форма наставничества
export-col-mentor-workplace = Место работы наставника
export-col-ended-on = Дата завершения программы
export-col-results = Результаты программы
export-col-case-link = Ссылка на кейс/отзыв, размещённый на сайте организации
export-col-completed-mark = Отметка о прохождении программы
export-col-workplace = Место работы
export-col-competencies = Основные профессиональные компетенции
export-col-achievements = Достижения, значимые для программы
export-col-interests = Интересы
export-col-preferred-mentee = Желаемый возраст наставляемых
export-col-hours = Время, которое готов(а) уделять
export-col-mentees = Наставляемые
export-col-mentee-workplace = Место работы наставляемого
export-impersonal = Участник (данные обезличены)
export-plan-done = выполнено { $done } из { $total } мероприятий плана
export-ended-early = завершена досрочно: { $reason }
export-completed = программа завершена
export-hours = { $hours } ч в месяц
export-yes = да
export-no = нет
export-sheet-programmes = Программы и планы
export-sheet-meetings = Журнал встреч
export-sheet-help = Ситуативная помощь
export-col-pair = Пара (наставник — наставляемые)
export-col-programme-status = Статус программы
export-col-goal = Цель программы
export-col-activity = Мероприятие плана
export-col-due-on = Срок
export-col-expected-result = Ожидаемый результат
export-col-activity-status = Выполнение
export-col-done-at = Выполнено
export-col-result = Результат
export-col-held-on = Дата встречи
export-col-meeting-format = Формат
export-col-duration = Длительность, мин
export-col-notes = Что обсудили
export-col-next-steps = Следующие шаги
export-col-confirmed-at = Подтверждена
export-col-asked-at = Обращение
export-col-help-status = Статус
export-col-answer-minutes = До ответа, мин
export-col-escalated-at = Передано куратору
export-col-rating = Оценка помощи
export-programme-draft = черновик
export-programme-submitted = отправлена наставляемому
export-programme-changes = на доработке
export-programme-acknowledged = согласована
export-activity-open = не выполнено
export-activity-done = выполнено
export-meeting-in_person = очно
export-meeting-online = онлайн
export-help-open = открыто
export-help-closed = закрыто
export-no-pair = без пары

## The desk's commands (handlers/desk.py)
desk-export-choose = <b>Выгрузка в Excel</b>
    Банки наставляемых и наставников — по формам из методических рекомендаций; журналы — программы с планами, встречи и обращения за помощью (без текстов переписки).
desk-export-banks = 📋 Банки наставляемых и наставников
desk-export-journals = 📒 Программы, встречи, помощь
desk-export-everything = 🗂 Всё в одном файле
desk-report-choose = <b>Итоговый аналитический отчёт</b>
    Документ Word для печати и подписи: показатели мониторинга, результаты анкет «до» и «после», SWOT-анализ, рейтинг наставников.
desk-report-this-year = 📄 За этот учебный год
desk-report-previous-year = 📄 За прошлый учебный год
desk-close = Закрыть
desk-file-making = Готовлю файл…
desk-site-ready = Страница «Наставничество» для сайта: HTML — для вставки на сайт, Markdown — для редактора. Люди названы только с их согласия.
stats-title = <b>Наставничество с { $first } по { $last }</b>
stats-people = 👥 { $roles }. Вовлечено в программы: { $share } % из { $staff }.
stats-waiting = ⏳ Наставляемых без наставника: { $count }
stats-waiting-line = • { $name } — наставник нужен до { $deadline } ({ $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
})
stats-pairs = 🤝 Активные пары по формам: { $forms }. Завершено: { $completed }, досрочно: { $early }.
stats-plan = 🗓 Мероприятия планов: в срок { $on_time }, с опозданием { $late }, просрочено { $overdue }. Программ с просрочкой: { $programmes_overdue }.
stats-meetings = ☕ Встреч за период: { $count }
stats-help = 🆘 Обращений за помощью: { $count }, с ответом { $answered }, медиана ответа { $minutes } мин
stats-surveys = 📝 Анкеты: заполнено { $submitted } из { $assigned }
command-export = выгрузка банков и журналов в Excel
command-stats = статистика наставничества
command-report = итоговый аналитический отчёт
command-site = страница «Наставничество» для сайта
