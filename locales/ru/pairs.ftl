## Пары и группы: подбор, согласие, утверждение, жизненный цикл, передача психологу

pair-no-name = (без имени)
pair-term = с { $start } по { $end }
pair-contact = { $name }
pair-contact-phone = { $name }, тел. { $phone }

pair-form-traditional = традиционная (один на один)
pair-form-group = в группе
pair-form-virtual = виртуальная (дистанционная)
pair-form-short_term = краткосрочная (целеполагающая)
pair-form-reverse = реверсивная
pair-form-situational = ситуационная
pair-form-speed = скоростная
pair-form-teacher_teacher = «педагог – педагог»
pair-form-head_teacher = «руководитель – педагог»
pair-form-employer_student = «работодатель – студент»
pair-form-college_teacher = «преподаватель колледжа/вуза – молодой педагог»

pair-status-proposed = ждёт согласия участников
pair-status-approval = ждёт утверждения заведующим
pair-status-active = работает
pair-status-refused = не состоялась
pair-status-completed = завершена
pair-status-ended_early = завершена досрочно

pair-programme-none = ещё нет
pair-programme-draft = черновик
pair-programme-submitted = у наставляемого на ознакомлении
pair-programme-changes = нужны правки
pair-programme-acknowledged = принята

pair-reason-absence = болезнь, командировка или другое долгое отсутствие
pair-reason-agreement = по договорённости сторон
pair-reason-employment_ended = наставник увольняется
pair-reason-transferred = перевод на другую должность или в другое подразделение
pair-reason-request = по просьбе наставника или наставляемого
pair-reason-duties = наставник не выполняет обязанности
pair-reason-circumstances = другие обстоятельства
pair-reason-parties_decided = решение сторон по уважительной причине
pair-reason-curator_decided = решение куратора (программа не выполняется, форс-мажор)
pair-reason-mentee_duties = наставляемый не выполняет обязанности
pair-reason-consent_withdrawn = участник отозвал согласие на обработку персональных данных
pair-reason-plan_fulfilled = план выполнен полностью

pair-event-proposed = предложена куратором
pair-event-confirmed = согласие участника
pair-event-declined = отказ участника
pair-event-awaiting_approval = передана на утверждение
pair-event-approved = утверждена заведующим
pair-event-rejected = не утверждена заведующим
pair-event-activated = начала работу
pair-event-extended = срок продлён
pair-event-mentor_replaced = наставник заменён
pair-event-completed = завершена
pair-event-ended_early = завершена досрочно

## /pair: куратор подбирает пару

pair-pick-mentees =
    <b>Новая пара или группа</b> · стр. { $page }/{ $pages }
    Отметьте наставляемого (для группы — до { $limit }) и нажмите «Далее». Сверху — те, у кого нет наставника, по сроку: наставника утверждают не позже { $days } дней после выхода на работу.
    Отмечено: { $chosen }
pair-no-mentees = Наставляемых в банке пока нет. Пригласить: /invite
pair-mentee-has-mentor = есть наставник
pair-mentee-had-mentor = наставник уже был
pair-deadline-unknown = дата выхода не указана
pair-deadline-left = { $days ->
        [one] остался { $days } день
        [few] осталось { $days } дня
       *[many] осталось { $days } дней
    }
pair-deadline-overdue = срок прошёл { $days ->
        [one] { $days } день назад
        [few] { $days } дня назад
       *[many] { $days } дней назад
    }
pair-next = Далее →
pair-back = ← Назад
pair-cancel = Отмена
pair-done = Готово

pair-pick-mentor = <b>Подходящие наставники</b> для: { $mentees }
pair-no-mentors = Для { $mentees } сейчас нет наставника со свободным местом и согласием быть наставником. Можно передать наставляемого педагогу-психологу, пока наставник не найдётся.
pair-why-areas = Совпадает: { $areas }
pair-why-words = Совпадают слова: { $words }
pair-why-nothing = Прямых совпадений с запросом нет
pair-why-room = Свободных мест: { $free } · часов в месяц: { $hours }
pair-refer = Передать педагогу-психологу

pair-pick-forms = Форма наставничества? Можно отметить несколько.
pair-forms-chosen = Формы: { $forms }.
pair-ask-start = Дата начала? Нажмите кнопку или напишите дату: ДД.ММ.ГГГГ.
pair-start-today = Сегодня, { $date }
pair-ask-end = Начало — { $start }. Дата окончания? Срок — от { $low } месяца до { $high } месяцев. Нажмите кнопку или напишите дату: ДД.ММ.ГГГГ.
pair-end-after = { $months ->
        [12] на год
        [one] на { $months } месяц
        [few] на { $months } месяца
       *[many] на { $months } месяцев
    } (до { $date })
pair-summary =
    <b>Проверьте, пожалуйста</b>
    Наставник: { $mentor }
    Наставляемые: { $mentees }
    Формы: { $forms }
    Срок: с { $start } по { $end }
    { $head ->
        [true] Участники получат запрос на согласие, затем пару утвердит заведующий.
       *[other] Участники получат запрос на согласие; когда все согласятся, пара начнёт работу.
    }
pair-send = Отправить на согласие
pair-proposed = Пара № { NUMBER($number, useGrouping: 0) } предложена. Ждём согласия участников, о каждом шаге сообщу. Все пары: /pairs
pair-cancelled = Подбор пары отменён, ничего не сохранено.

pair-pick-mentee = Отметьте хотя бы одного наставляемого.
pair-group-limit = В группе у одного наставника не больше { $limit } наставляемых (Положение о наставничестве).
pair-mentee-has-pair = У наставляемого { $name } уже есть наставник или предложенная пара. Сменить наставника можно в карточке пары: /pairs
pair-own-mentor = Нельзя быть наставником самому себе: выберите другого наставника.
pair-mentor-no-consent = Этот наставник не дал письменного согласия быть наставником, назначить его нельзя (Положение о наставничестве).
pair-pick-form = Отметьте хотя бы одну форму наставничества.
pair-group-needs-two = Форма «в группе» — это один наставник и два наставляемых или больше. Отметьте другую форму или добавьте наставляемых.
pair-start-in-past = Дата начала уже прошла. Укажите сегодняшнюю или более позднюю.
pair-start-too-far = Дата начала слишком далеко: не позже чем через год.

## Согласие участников и утверждение заведующим

pair-request-mentor =
    <b>Куратор предлагает вам наставничество</b> (пара № { NUMBER($number, useGrouping: 0) })
    { $count ->
        [one] Наставляемый
       *[other] Наставляемые
    }: { $mentees }
    Формы: { $forms }
    Срок: { $term }
    Согласны быть наставником? Ваше согласие — письменное согласие на закрепление (Положение о наставничестве).
pair-request-mentee =
    <b>Куратор предлагает вам наставника</b> (пара № { NUMBER($number, useGrouping: 0) })
    Наставник: { $mentor }
    Формы: { $forms }
    Срок: { $term }
    Согласны? Ваше согласие — письменное согласие на закрепление наставника.
pair-group-with = В группе также: { $names }
pair-confirm-yes = ✅ Подтверждаю
pair-confirm-no = ✖ Отказываюсь
pair-confirmed-thanks = Спасибо, согласие по паре № { NUMBER($number, useGrouping: 0) } записано. Сообщу, когда пара начнёт работу.
pair-already-confirmed = Вы уже дали согласие по этой паре.
pair-already-declined = Вы уже отказались от этой пары.
pair-no-longer-proposed = Эта пара уже не ждёт ответа.
pair-ask-decline-reason = Напишите, пожалуйста, причину отказа от пары № { NUMBER($number, useGrouping: 0) } — её получит куратор.
pair-declined-thanks = Отказ от пары № { NUMBER($number, useGrouping: 0) } записан, куратор получит вашу причину.
pair-declined-desk = Пара № { NUMBER($number, useGrouping: 0) } не состоится: { $name } ({ $role }) отказался(ась). Причина: «{ $reason }». Подобрать заново: /pair
pair-refused-others = Пара № { NUMBER($number, useGrouping: 0) } не состоится. Куратор подберёт другой вариант.
pair-all-confirmed-desk = Все участники пары № { NUMBER($number, useGrouping: 0) } дали согласие. Пара передана на утверждение заведующему.

pair-approval-request =
    <b>Утвердите пару № { NUMBER($number, useGrouping: 0) }</b>
    Наставник: { $mentor }
    Наставляемые: { $mentees }
    Формы: { $forms }
    Срок: { $term }
    Все участники дали письменное согласие.
pair-approve = ✅ Утвердить
pair-reject = ✖ Не утверждать
pair-ask-order = Номер и дата приказа об утверждении пары № { NUMBER($number, useGrouping: 0) }? Например: № 45 от 01.12.2026. Или нажмите «Без номера приказа».
pair-order-skip = Без номера приказа
pair-approved-thanks = Пара № { NUMBER($number, useGrouping: 0) } утверждена, участники получили сообщение.
pair-ask-reject-reason = Напишите, пожалуйста, почему пара № { NUMBER($number, useGrouping: 0) } не утверждена — это получит куратор.
pair-rejected-thanks = Записано: пара № { NUMBER($number, useGrouping: 0) } не утверждена.
pair-rejected-desk = Заведующий не утвердил пару № { NUMBER($number, useGrouping: 0) }. Причина: «{ $reason }». Подобрать заново: /pair
pair-already-decided = По этой паре решение уже принято.
pair-not-active = Эта пара сейчас не работает: действие недоступно.

pair-active-mentor =
    <b>Пара № { NUMBER($number, useGrouping: 0) } начала работу!</b>
    { $count ->
        [one] Ваш наставляемый
       *[other] Ваши наставляемые
    } (нажмите на имя, чтобы написать в Telegram):
    { $mentees }
    Срок: { $term }
    Напишите персонализированную программу наставничества до { $due } — в течение { $days } дней после утверждения (Положение о наставничестве).
pair-active-mentee =
    <b>Пара № { NUMBER($number, useGrouping: 0) } начала работу!</b>
    Ваш наставник (нажмите на имя, чтобы написать в Telegram): { $mentor }
    Срок: { $term }
    Наставник напишет программу до { $due }, вы с ней ознакомитесь. Нужна помощь в работе — команда /sos.
pair-active-desk = Пара № { NUMBER($number, useGrouping: 0) } начала работу: { $mentor } — { $mentees }. Программа — до { $due }.

## /pairs: список пар и карточка

pairs-header = <b>Пары и группы</b>: { $total } · стр. { $page }/{ $pages }
pairs-empty = Пар пока нет. Подобрать: /pair
pairs-line =
    <b>№ { NUMBER($number, useGrouping: 0) }</b> · { $status } · программа: { $programme }
    { $mentor } → { $mentees }
    { $term }
pairs-open = № { NUMBER($number, useGrouping: 0) } · { $mentor }
pairs-card =
    <b>Пара № { NUMBER($number, useGrouping: 0) }</b> · { $status }
    Наставник: { $mentor }
    Наставляемые: { $mentees }
    Формы: { $forms }
    Срок: { $term }
    Программа: { $programme }
pairs-card-order = Приказ: { $order }
pairs-history = <b>История</b>
pairs-history-line = { $date } — { $event }
pairs-history-to = до { $date }
pairs-history-replaced = { $old } → { $new }
pairs-back = ← К списку пар

## Жизненный цикл пары

pairlife-extend = Продлить срок
pairlife-replace = Заменить наставника
pairlife-early = Завершить досрочно
pairlife-complete = Завершить: программа выполнена
pairlife-back = ← К паре
pairlife-extend-why = Продление срока пары № { NUMBER($number, useGrouping: 0) } (сейчас до { $end }). Причина?
pairlife-extend-until = До какой даты продлить пару № { NUMBER($number, useGrouping: 0) } (сейчас до { $end })? Нажмите кнопку или напишите дату: ДД.ММ.ГГГГ.
pairlife-extend-by = { $months ->
        [one] +{ $months } месяц
        [few] +{ $months } месяца
       *[many] +{ $months } месяцев
    } (до { $date })
pairlife-extend-again = Напишите другую дату окончания: ДД.ММ.ГГГГ. Выйти: /cancel
pair-extend-not-later = Новая дата окончания должна быть позже нынешней ({ $end }).
pair-extend-too-far = Продлить можно не больше чем на { $months } месяцев за раз.
pairlife-extended = Срок пары № { NUMBER($number, useGrouping: 0) } продлён до { $end }. Причина: { $reason }.
pairlife-extended-told = Срок наставничества (пара № { NUMBER($number, useGrouping: 0) }) продлён до { $end }. Причина: { $reason }.
pairlife-replace-why = Замена наставника в паре № { NUMBER($number, useGrouping: 0) }. Причина?
pairlife-replace-pick = Кто станет наставником пары № { NUMBER($number, useGrouping: 0) }? Программа и история пары сохранятся.
pairlife-no-mentors = Сейчас нет другого наставника со свободным местом и согласием.
pair-same-mentor = Это и есть нынешний наставник пары.
pairlife-replaced = Наставник пары № { NUMBER($number, useGrouping: 0) } заменён: { $old } → { $new }. Программа и история сохранены, участники получили сообщение.
pairlife-replaced-old = Вы больше не наставник пары № { NUMBER($number, useGrouping: 0) }. Причина: { $reason }. Спасибо за вашу работу!
pairlife-replaced-new =
    <b>Вас назначили наставником пары № { NUMBER($number, useGrouping: 0) }</b> вместо прежнего наставника.
    { $count ->
        [one] Наставляемый
       *[other] Наставляемые
    } (нажмите на имя, чтобы написать в Telegram):
    { $mentees }
    Срок: { $term }
    Программа и история пары сохранены — продолжайте с того места, где остановились.
pairlife-replaced-mentee =
    У вас новый наставник (пара № { NUMBER($number, useGrouping: 0) }): { $mentor }
    Причина замены: { $reason }. Программа и история пары сохранены.
pairlife-early-why = Досрочное завершение пары № { NUMBER($number, useGrouping: 0) }. Причина?
pairlife-early-confirm = Завершить пару № { NUMBER($number, useGrouping: 0) } досрочно? Причина: { $reason }.
pairlife-complete-confirm = Отметить, что программа пары № { NUMBER($number, useGrouping: 0) } выполнена и наставничество завершено?
pairlife-yes-complete = Да, программа выполнена
pairlife-completed = Пара № { NUMBER($number, useGrouping: 0) } завершена: программа выполнена.
pairlife-ended-early = Пара № { NUMBER($number, useGrouping: 0) } завершена досрочно. Причина: { $reason }.
pairlife-completed-told = Наставничество (пара № { NUMBER($number, useGrouping: 0) }) завершено: программа выполнена. Спасибо за работу!
pairlife-ended-early-told = Наставничество (пара № { NUMBER($number, useGrouping: 0) }) завершено досрочно. Причина: { $reason }.

## Передача педагогу-психологу (этап 5 дорожной карты)

referral-ask-note = Передаём педагогу-психологу для поддержки, пока ищем наставника: { $mentees }. Коротко напишите, в чём нужна поддержка, или нажмите «Без комментария».
referral-no-note = Без комментария
referral-done = { $count ->
        [one] Наставляемый передан
       *[other] Наставляемые переданы
    } педагогу-психологу: { $psychologist }. Поиск наставника можно продолжить в /pair.
referral-no-psychologist = В организации нет педагога-психолога. Пригласите его: /invite
referral-already-open = Этот наставляемый уже передан педагогу-психологу.
referral-already-closed = Поддержка по этому обращению уже отмечена.
referral-told =
    <b>Куратор просит вас поддержать { $count ->
        [one] наставляемого
       *[other] наставляемых
    }</b>, пока для них ищут наставника: { $mentees }.
    Контакты и запрос — в /support.
referral-told-note = Комментарий куратора: «{ $note }»
referral-psychologist-left =
    Педагог-психолог отозвал согласие и больше не поддерживает { $count ->
        [one] наставляемого
       *[other] наставляемых
    }: { $mentees }. Передать другому педагогу-психологу: /pair → наставляемый → «Далее» → «Передать педагогу-психологу».
referral-none = Сейчас никого не передали вам для поддержки.
referral-header = <b>Поддержка наставляемых</b>: { $count }
referral-line =
    <b>{ $name }</b>, тел. { $phone }
    Запрос: { $request }
    Затруднения: { $difficulties }
    Передан: { $since } · комментарий: { $note }
    { $paired ->
        [true] Наставник уже подобран.
       *[other] Наставника пока нет.
    }
referral-close = ✅ Поддержка оказана: { $name }
referral-closed = Отмечено: поддержка оказана.
pair-event-mentee_left = наставляемый вышел из группы
