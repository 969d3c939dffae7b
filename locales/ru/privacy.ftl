## /privacy: согласие, выгрузка и отзыв

privacy-nothing-stored = О вас ничего не хранится, кроме выбранного языка.
privacy-summary = <b>Мои данные</b>: { $organisation }
privacy-consent-given = Согласие на обработку персональных данных дано { $date } (версия текста { $version }).
privacy-consent-none = Действующего согласия нет.
privacy-show-text = 📄 Текст согласия
privacy-export = 📦 Выгрузить мои данные
privacy-export-caption = Всё, что бот хранит о вас, одним файлом.
privacy-withdraw = Отозвать согласие
privacy-withdraw-confirm =
    Отозвать согласие в организации { $organisation }?
    Ваши персональные данные будут удалены, а в отчётах останется только обезличенная запись. Вернуться можно будет по новой ссылке-приглашению.
privacy-withdraw-yes = Да, отозвать и удалить данные
privacy-withdraw-no = Нет, оставить
privacy-kept = Хорошо, всё остаётся как было.
privacy-withdrawn =
    Согласие отозвано, ваши данные в организации { $organisation } удалены: анкета, ответы, написанные вами и о вас тексты (запросы о помощи и ответы на них, заметки о встречах, программа, причины и комментарии), файлы и сообщения вам. Ваши пары завершены, куратору сообщено.
    Осталась только обезличенная запись — роль и даты участия, без имени и без связи с вашим Telegram, — чтобы отчёты организации о наставничестве оставались верными, и отметка о данном и отозванном согласии как доказательство законности прежней обработки.
privacy-export-text-caption = То же в виде текста, по разделам.
export-section-profile = Анкета
export-section-consents = Согласия
export-section-questionnaires = Анкеты мониторинга
export-section-pair_confirmations = Согласия на пару и отказы
export-section-pair_events = История пар
export-section-programmes = Программы наставничества
export-section-activities = План мероприятий
export-section-meetings = Встречи
export-section-help_messages = Запросы о помощи
export-section-referrals = Направления к психологу
export-section-final_reports = Итоговые отчёты
export-section-messages = Сообщения вам
privacy-named-yes = 🌐 Вы согласились, чтобы вас называли на странице «Наставничество» сайта организации (в описании завершённых программ).
privacy-named-on = 🌐 Можно называть меня на сайте
privacy-named-off = 🌐 Не называть меня на сайте
privacy-named-saved = Сохранено.
