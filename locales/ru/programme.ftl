## Персонализированная программа наставничества (/programme) и ход работы по плану (/plan)

programme-title = <b>📘 Программа наставничества</b>
programme-mentees = { $count ->
        [one] Наставляемый
       *[other] Наставляемые
    }: { $names }
programme-mentor = Наставник: { $name }
programme-term = Срок наставничества: { $start } — { $end }
programme-state = Состояние: { $state }
programme-someone = участник без имени
programme-pair-with-mentor = Наставник: { $name }
programme-choose-pair = Выберите пару или группу:
programme-no-pairs = У вас пока нет утверждённой пары. Программу пишут после того, как пару утвердят.
programme-pair-not-active = Пара сейчас не действует: программу ведут только в действующей паре.

programme-state-none = программа не начата, написать до { $due } ({ $days ->
        [one] остался { $days } день
        [few] осталось { $days } дня
       *[many] осталось { $days } дней
    })
programme-state-none-overdue = ⚠️ программа не написана: срок истёк { $due } (просрочено на { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    })
programme-state-draft = черновик, отправить наставляемому до { $due } ({ $days ->
        [one] остался { $days } день
        [few] осталось { $days } дня
       *[many] осталось { $days } дней
    })
programme-state-draft-overdue = ⚠️ черновик: срок написания истёк { $due } (просрочено на { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    })
programme-state-corrected = исправляется после отправки: отправьте наставляемому заново
programme-state-changes = наставляемый попросил изменения
programme-state-submitted = отправлена наставляемому { $date }, ждёт ознакомления
programme-state-submitted-group = отправлена наставляемым { $date }, ознакомились { $read } из { $count }
programme-state-acknowledged = согласована { $date }, выполнено { $done } из { $total }

programme-start-choose = Начните с шаблона (его можно будет изменить) или с чистого листа:
programme-blank = 📝 С чистого листа
programme-created-from-template = Черновик создан по шаблону «{ $title }». Проверьте цель, задачи, результаты, форму и даты плана и поправьте под вашу пару.
programme-created-blank = Создан пустой черновик. Заполните цель, задачи, планируемые результаты, форму и план.
programme-exists = У этой пары программа уже есть.
programme-menu-hint = Когда всё заполнено, отправьте программу наставляемому на ознакомление.
programme-change-request = ✏️ Просьба наставляемого: { $text }

programme-field-goal = Цель
programme-field-tasks = Задачи
programme-field-planned-results = Планируемые результаты
programme-field-form = Форма наставничества
programme-plan-button = 🗓 План ({ $count })
programme-add-activity = ➕ Пункт плана
programme-read = 📄 Вся программа
programme-submit = 📨 Отправить наставляемому
programme-back = « К программе
programme-back-to-item = « К пункту
programme-back-to-plan = « К плану
programme-open = Открыть программу

programme-ask-field = Пришлите новый текст: <b>{ $field }</b> (до { $limit } символов). Передумали — /cancel.
programme-current =
    Сейчас:
    { $text }
programme-saved = ✅ Сохранено: { $field }.

programme-plan-title = <b>Календарный план</b>: { $count ->
        [one] { $count } пункт
        [few] { $count } пункта
       *[many] { $count } пунктов
    }
programme-plan-empty = В плане пока нет пунктов.
programme-plan-choose = <b>Календарный план</b>: { $count ->
        [one] { $count } пункт
        [few] { $count } пункта
       *[many] { $count } пунктов
    }. Выберите пункт, чтобы изменить его.
programme-activity-line = { $mark } <b>{ $number }.</b> { $date } — { $content }
programme-activity-expected = Ожидаемый результат: { $text }
programme-activity-result = Выполнено { $date }: { $text }
programme-activity-card = <b>Пункт { $number } из { $total }</b>
programme-edit-content = ✏️ Содержание
programme-edit-due = 📅 Срок
programme-edit-expected = 🎯 Ожидаемый результат
programme-remove = 🗑 Удалить
programme-remove-confirm = Удалить пункт плана «{ $content }»?
programme-remove-yes = Да, удалить
programme-remove-no = Нет
programme-removed = Пункт удалён
programme-moved = Теперь это пункт { $number }
programme-cannot-move = Дальше двигать некуда
programme-activity-done-kept = Выполненный пункт удалить нельзя: сначала верните его в работу в /plan.
programme-activity-saved = ✅ Сохранено.
programme-new-step = <b>Новый пункт плана, шаг { $step } из 3.</b>
programme-ask-content = Что нужно сделать? Опишите мероприятие (до { $limit } символов).
programme-ask-due = Срок: дата в пределах срока наставничества, с { $start } по { $end }. Например: 15.12.2026.
programme-ask-expected = Какой ожидаемый результат? (до { $limit } символов)
programme-activity-added = ✅ Пункт { $number } добавлен: { $date } — { $content }
programme-add-more = ➕ Ещё пункт
programme-too-many-activities = В плане уже { $limit } пунктов, больше нельзя. Объедините или удалите лишние.

programme-missing-goal = Сначала заполните цель программы.
programme-missing-tasks = Сначала заполните задачи.
programme-missing-planned-results = Сначала заполните планируемые результаты.
programme-missing-form = Сначала укажите форму наставничества.
programme-missing-activities = Добавьте в план хотя бы один пункт.
programme-submitted = 📨 Программа отправлена { $count ->
        [one] наставляемому. Я сообщу, когда он(а) ознакомится.
       *[other] наставляемым. Я сообщу, когда все ознакомятся.
    }
programme-already-submitted = Программа уже у наставляемого, ждём ответа.
programme-already-agreed = Программа уже согласована.
programme-for-you = 📘 Наставник { $name } написал(а) для вас программу наставничества. Прочитайте её и отметьте, что ознакомились, или попросите изменения.
programme-ack = ✅ Ознакомлен(а)
programme-ask-changes = ✏️ Попросить изменения
programme-ack-thanks = Спасибо! Наставник увидит, что вы ознакомились с программой. Ход работы — в /plan.
programme-already-acknowledged = Вы уже ознакомились с этой программой.
programme-acknowledged-by = ✅ { $name } ознакомился(лась) с программой.
programme-acknowledged-all = ✅ { $name } ознакомился(лась) с программой. Программа согласована, можно работать по плану: /plan
programme-agreed-after-leaving = ✅ Программа группы № { NUMBER($number, useGrouping: 0) } согласована: все, кто остался в группе, с ней ознакомились. Можно работать по плану: /plan
programme-not-submitted = Программа сейчас не ждёт ознакомления: наставник её дорабатывает. Когда он(а) отправит её снова, придёт новое сообщение.
programme-ask-change-comment = Что изменить в программе? Напишите наставнику (до { $limit } символов).
programme-changes-sent = Отправлено наставнику. Когда программа будет исправлена, она придёт снова.
programme-changes-requested =
    ✏️ { $name } просит изменить программу:
    { $text }
programme-not-delivered = ⚠️ Сообщение не дошло: { $name } (похоже, бот заблокирован). Всё сохранено, запись видна в /plan.
programme-not-yet = Программы пока нет: { $state }.

## /plan

plan-title = <b>📊 План наставничества</b>
plan-no-pairs = У вас пока нет действующей пары наставничества.
plan-no-programme-mentor = Программы пока нет: { $state }.
plan-no-programme-mentee = Наставник ещё пишет программу, срок — до { $due }. Когда она будет готова, я пришлю её вам.
plan-write = ✍️ Написать программу
plan-progress = Выполнено: { $done } из { $total } ({ $percent }%)
plan-overdue-title = <b>⚠️ Просрочено: { $count }</b>
plan-upcoming-title = <b>Ближайшие сроки</b>
plan-item-line = • { $date } — { $content }
plan-all-done = 🎉 Все пункты плана выполнены.
plan-meetings = Встреч записано: { $count }, подтверждено: { $confirmed }.
plan-confirm-meeting = ✅ Подтвердить встречу { $date }
plan-items = 🗓 Пункты плана
plan-programme = 📄 Программа
plan-log-meeting = 🤝 Записать встречу
plan-items-title = <b>Пункты плана</b> ({ $count }): ✅ выполнен, ⚠️ просрочен, ⬜ в работе.
plan-back = « Назад
plan-evidence-photo = 📎 Подтверждение: фото
plan-evidence-document = 📎 Подтверждение: документ
plan-item-reopened = ↩️ Возвращён в работу: { $reason }
plan-item-overdue = ⚠️ Просрочен на { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }
plan-mark-done = ✅ Отметить выполненным
plan-reopen = ↩️ Вернуть в работу
plan-show-evidence = 📎 Показать подтверждение
plan-open-item = Открыть пункт
plan-ask-result =
    Пункт «{ $content }».
    Кратко: что сделано, какой результат? (до { $limit } символов)
plan-ask-evidence = Приложите фото или документ как подтверждение или нажмите «Без подтверждения».
plan-no-evidence = Без подтверждения
plan-evidence-expected = Здесь нужно фото или документ либо кнопка «Без подтверждения». Выйти: /cancel.
plan-marked-done = ✅ Пункт { $number } отмечен выполненным. Наставляемый получит сообщение.
plan-done-notice =
    ✅ { $name } отметил(а) пункт плана выполненным:
    { $content }
    Результат: { $result }
plan-done-notice-evidence =
    ✅ { $name } отметил(а) пункт плана выполненным:
    { $content }
    Результат: { $result }
    📎 Есть подтверждение: откройте пункт.
plan-ask-reopen-reason = Почему пункт «{ $content }» возвращается в работу? Коротко, до { $limit } символов.
plan-reopened = ↩️ Пункт { $number } снова в работе. Другая сторона получит сообщение.
plan-reopen-notice =
    ↩️ { $name } вернул(а) пункт плана в работу:
    { $content }
    Причина: { $reason }
programme-activity-already-done = Этот пункт уже отмечен выполненным.
programme-activity-not-done = Этот пункт и так в работе.

## Строки истории пары (их показывает карточка пары у куратора)

pair-event-programme_submitted = программа отправлена наставляемому
pair-event-programme_acknowledged = наставляемый ознакомился с программой
pair-event-programme_changes = наставляемый попросил изменить программу
pair-event-activity_reopened = пункт плана возвращён в работу
