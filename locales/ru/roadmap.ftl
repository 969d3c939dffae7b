## Дорожная карта организации: /roadmap и кнопки напоминаний об этапах

command-roadmap = дорожная карта наставничества

roadmap-title = 🗺 <b>Дорожная карта на { $years } учебный год</b>
roadmap-mine-title = 🗺 <b>Ваши этапы дорожной карты, { $years }</b>
roadmap-not-set-up-curator = Дорожная карта на этот учебный год ещё не составлена. Составьте её по типовому шаблону: 7 этапов, мероприятия каждого уже вписаны, останется назначить сроки и ответственных.
roadmap-not-set-up-head = Дорожная карта на этот учебный год ещё не составлена. Её составляет куратор.
roadmap-progress = Выполнено этапов: <b>{ $done } из { $total }</b>
roadmap-next-due = ⏰ Ближайший срок: { $due }, «{ $stage }»
roadmap-no-next-due = Ближайших сроков нет.
roadmap-overdue = ⚠️ Просрочено: { $stages }
roadmap-read-only = Изменять дорожную карту может куратор.
roadmap-mine-empty = Сейчас за вами нет этапов дорожной карты.
roadmap-set-up = 📋 Составить по шаблону
roadmap-set-up-done = Дорожная карта составлена. Откройте этап, чтобы назначить срок и ответственного.
roadmap-year-previous = ◀ { $years }
roadmap-year-next = { $years } ▶

roadmap-stage-done = ✅ { $position }. { $name }
roadmap-stage-due = ⏰ { $position }. { $name } · до { $due }
roadmap-stage-overdue = ⚠️ { $position }. { $name } · { $due }
roadmap-stage-open = ▫️ { $position }. { $name }

roadmap-stage-title = 🗺 <b>Этап { $position } из { $total }: { $name }</b>
roadmap-stage-year = Учебный год: { $years }
roadmap-state-done = ✅ Выполнен { $date }
roadmap-state-due = ⏰ Срок: { $due } ({ $days ->
        [0] сегодня
        [one] остался { $days } день
        [few] осталось { $days } дня
       *[many] осталось { $days } дней
    })
roadmap-state-overdue = ⚠️ Просрочен: срок был { $due }
roadmap-state-open = ▫️ Срок не назначен
roadmap-responsible = 👤 Ответственный: { $name }
roadmap-responsible-nobody = 👤 Ответственный не назначен
roadmap-actions-title = <b>Мероприятия:</b>
roadmap-actions-none = Мероприятия не указаны.

roadmap-edit-actions = ✏️ Мероприятия
roadmap-edit-deadline = 📅 Срок
roadmap-edit-responsible = 👤 Ответственный
roadmap-mark-done = ✅ Этап выполнен
roadmap-mark-not-done = ↩️ Снять отметку
roadmap-back = ← К дорожной карте
roadmap-back-to-stage = ← К этапу

roadmap-ask-actions = ✏️ Напишите мероприятия этапа «{ $name }» одним сообщением, до { $limit } знаков. Сейчас записано:
roadmap-ask-deadline = 📅 Выберите срок этапа «{ $name }» (с { $first } по { $last }).
roadmap-no-deadline = Без срока
roadmap-ask-responsible = 👤 Кто отвечает за этап «{ $name }»?
roadmap-nobody = Без ответственного
roadmap-member = { $name } ({ $role })
roadmap-member-unnamed = { $role }, имя не указано

roadmap-saved-actions = Мероприятия сохранены.
roadmap-saved-deadline = Срок сохранён: { $due }.
roadmap-saved-no-deadline = Срок снят.
roadmap-saved-responsible = Ответственный: { $name }.
roadmap-saved-nobody = Ответственный снят.
roadmap-marked-done = ✅ Этап отмечен выполненным.
roadmap-marked-not-done = Отметка о выполнении снята.

roadmap-done-thanks = ✅ Этап «{ $name }» отмечен выполненным. Спасибо!
roadmap-already-done = Этот этап уже отмечен выполненным.
roadmap-not-yours = Отметить этап может ответственный за него или куратор.
roadmap-not-allowed = Дорожная карта открыта куратору, заведующему и ответственным за этапы.
roadmap-done-notice = ✅ Этап дорожной карты «{ $stage }» выполнен. Отметил(а): { $name }.
roadmap-someone = коллега

## Мероприятия типового шаблона (сиды 001 и 004), их можно изменить
roadmap-template-preparation = Приказ об утверждении Положения о системе наставничества; Положение; дорожная карта на год; приказы о закреплении наставнических пар и групп с письменного согласия участников.
roadmap-template-mentee_bank = Сбор профессиональных запросов педагогов; формирование банка наставляемых; согласия на обработку персональных данных.
roadmap-template-mentor_bank = Анкетирование педагогов, желающих стать наставниками; собеседования; формирование банка наставников; согласия на обработку персональных данных.
roadmap-template-mentor_training = Анализ банка наставников и выбор наставников для программ; методические материалы; консультации и обмен опытом, «установочные сессии» наставников.
roadmap-template-pairs = Формирование пар и групп; персонализированные программы наставничества для каждой пары; работа пар по программам; психолого-педагогическая поддержка наставляемых, которым пока не нашли наставника.
roadmap-template-completion = Мониторинг качества программ (анкетирование); семинар или конференция; итоговый круглый стол о лучших практиках; пополнение методической копилки; итоговые отчёты.
roadmap-template-information = Освещение мероприятий дорожной карты на всех этапах на сайте детского сада (раздел «Наставничество») и в социальных сетях, по возможности на муниципальном и региональном уровнях.

roadmap-approve = ✅ Утвердить дорожную карту
roadmap-approved = ✅ Утверждена заведующим { $date }.
roadmap-not-approved = 📝 Не утверждена заведующим: после составления или изменений её утверждает заведующий.
roadmap-approved-thanks = Дорожная карта утверждена.
roadmap-approved-notice = ✅ Заведующий утвердил дорожную карту наставничества на { $years } учебный год.
