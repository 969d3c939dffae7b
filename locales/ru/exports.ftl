## The curator's exports (bot/services/banks.py): the sample forms of seed 003, appendix 3
export-sheet-mentees = Банк наставляемых
export-sheet-mentors = Банк наставников
export-col-number = №
export-col-mentee-name = ФИО наставляемого
export-col-contacts = Контактные данные для связи
export-col-mentee-birth-year = Год рождения наставляемого
export-col-mentee-request = Основной запрос наставляемого
export-col-entered-on = Дата вхождения в программу
export-col-mentor-name = ФИО наставника
export-col-form = Форма наставничества
export-col-mentor-workplace = Место работы/учебы наставника
export-col-ended-on = Дата завершения программы
export-col-results = Результаты программы
export-col-mentee-case-link = Ссылка на кейс/отзыв наставляемого, размещённые на сайте организации
export-col-completed-mark = Отметка о прохождении программы
export-col-mentor-competencies = Основные компетенции наставника
export-col-mentor-achievements = Важные для программы достижения наставника
export-col-mentor-interests = Интересы наставника
export-col-preferred-mentee = Желаемый возраст наставляемых
export-col-hours = Ресурс времени на программу наставничества
export-col-mentees = ФИО наставляемого (наставляемых)
export-col-mentee-workplace = Место работы/учебы наставляемого
export-col-mentor-case-link = Ссылка на кейс/отзыв наставника, размещённые на сайте организации
export-case-on-site = страница «Наставничество», #{ $anchor }
export-impersonal = Участник (данные обезличены)
export-plan-done = выполнено { $done } из { $total ->
    [one] { $total } мероприятия
   *[other] { $total } мероприятий
} плана
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
    Банки наставляемых и наставников — по формам из методических рекомендаций; журналы — программы с планами, встречи, обращения за помощью (без текстов переписки) и итоговые отчёты; ответы на анкеты (анонимные — без имён).
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
stats-waiting-line = • { $name } — наставник нужен до { $deadline } ({ $overdue ->
    [yes] срок прошёл { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[other] { $days } дней
    } назад
   *[no] { $days ->
        [one] остался { $days } день
        [few] осталось { $days } дня
       *[other] осталось { $days } дней
    }
})
stats-pairs = 🤝 Активные пары по формам: { $forms }. Завершено: { $completed }, досрочно: { $early }.
stats-plan = 🗓 Мероприятия планов: в срок { $on_time }, с опозданием { $late }, просрочено { $overdue }. Программ с просрочкой: { $programmes_overdue }.
stats-meetings = ☕ Встреч за период: { $count }
stats-help = 🆘 Обращений за помощью: { $count }, с ответом { $answered }, медиана ответа { $minutes }
stats-surveys = 📝 Анкеты: заполнено { $submitted } из { $assigned }
command-export = выгрузка банков и журналов в Excel
command-stats = статистика наставничества
command-report = итоговый аналитический отчёт
command-site = страница «Наставничество» для сайта
command-settings = настройки организации
settings-title = <b>Настройки: { $organisation }</b>
settings-on = ✅
settings-off = ▫️
settings-head_may_broadcast = Заведующий тоже отправляет объявления и события
settings-ratings_for_mentors = Наставники видят рейтинг наставников и оценки, которые им поставили наставляемые в итоговых отчётах
settings-head_may_broadcast-short = объявления от заведующего
settings-ratings_for_mentors-short = рейтинг для наставников
settings-turn-on = Включить: { $setting }
settings-turn-off = Выключить: { $setting }
settings-saved = Сохранено.
command-ratings = рейтинг наставников
ratings-title = <b>Рейтинг наставников</b> (оценки наставляемых, мероприятия в срок, завершённые программы)
ratings-line = { $place }. { $name } — <b>{ $score }</b>: оценка { $evaluation }, в срок { $on_time } из { $items }, завершено программ { $completed }
ratings-none = Рейтинг появится, когда у наставников будут программы.
ratings-not-shown = Рейтинг наставников видят куратор и заведующий; наставникам — если организация это включила.
export-sheet-reports = Итоговые отчёты
export-col-report-author = Чей отчёт
export-col-report-due = Срок
export-col-report-submitted = Сдан
export-col-report-fulfilment = Выполнение плана
export-col-report-results = Результаты наставляемого
export-col-report-recommendations = Рекомендации
export-col-report-how-it-went = Как проходило наставничество
export-col-report-helped = Что помогло
export-col-report-missing = Чего не хватало
export-col-report-evaluation = Оценка наставника (1–5)
export-col-report-comment = Комментарий
export-mark-done = выполнено
export-mark-late = с опозданием
export-mark-not_done = не выполнено
export-sheet-surveys = Ответы на анкеты
export-col-questionnaire = Анкета
export-col-launched = Запущена
export-col-respondent = Кто ответил
export-col-role = Роль
export-col-phase = Этап
export-col-submitted = Отправлена
export-col-question = Вопрос
export-col-answer = Ответ
export-anonymous = анонимно
desk-export-surveys = 📝 Ответы на анкеты
stats-chart = Те же цифры на графике.
stats-chart-title = Наставничество в этом учебном году
stats-chart-pairs = Активные пары по формам
stats-chart-plan = Мероприятия планов
stats-chart-plan-on-time = в срок
stats-chart-plan-late = с опозданием
stats-chart-plan-overdue = просрочено
stats-chart-programmes = Программы
stats-chart-programmes-on-time = идут в срок
stats-chart-programmes-overdue = с просрочкой

## File names (bot/services/file_names.py): the organisation's short name and the day follow
file-banks = Банки наставников и наставляемых
file-journals = Журналы наставничества
file-surveys = Ответы на анкеты
file-everything = Наставничество
file-report = Аналитический отчёт { $first }-{ $last }
file-site = Страница Наставничество
