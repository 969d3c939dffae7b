## Сроки: пункты плана, окончание программы, итоговые отчёты, дорожная карта, год

deadline-activity-before = ⏰ Пункт плана «{ $content }»: срок { $due } (осталось { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }).
deadline-activity-day = ⏰ Сегодня, { $due }, срок пункта плана «{ $content }».
deadline-activity-late = ⚠️ Пункт плана «{ $content }» просрочен: срок был { $due }. Отметьте выполнение или перенесите дату с причиной.
deadline-activity-late-mentee = ⚠️ Пункт плана «{ $content }» просрочен: срок был { $due }. Отметить выполнение или перенести дату может наставник.
deadline-term-soon = ⏰ Программа наставничества ({ $names }) заканчивается { $due }, через { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }. План выполнен: { $done } из { $total }.
deadline-term-end = ⚠️ Срок программы наставничества ({ $names }) истёк { $due }. План выполнен: { $done } из { $total }. Завершить программу, продлить её или закончить досрочно?
deadline-term-end-again = ⚠️ Срок программы наставничества ({ $names }) истёк { $due }, решение ещё не принято. План выполнен: { $done } из { $total }. Завершить программу, продлить её или закончить досрочно?
deadline-term-end-head = ⚠️ Срок программы наставничества ({ $names }) истёк { $due }. План выполнен: { $done } из { $total }. Завершить, продлить или закончить её досрочно решает куратор, а в организации его сейчас нет: пригласите куратора — /invite.
deadline-term-end-again-head = ⚠️ Срок программы наставничества ({ $names }) истёк { $due }, решение ещё не принято. План выполнен: { $done } из { $total }. Решает куратор, а в организации его сейчас нет: пригласите куратора — /invite.
deadline-report-reminder = ⏰ Наставничество завершено. Пожалуйста, отправьте итоговый отчёт до { $due }.
deadline-report-late = ⚠️ Итоговые отчёты не отправили: { $names }. Срок был { $due }.
deadline-roadmap-before = ⏰ Этап дорожной карты «{ $stage }»: срок { $due } (осталось { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }).
deadline-roadmap-day = ⏰ Сегодня, { $due }, срок этапа дорожной карты «{ $stage }».
deadline-roadmap-late = ⚠️ Этап дорожной карты «{ $stage }» просрочен: срок был { $due }.
deadline-roadmap-late-desk = ⚠️ Этап дорожной карты «{ $stage }» не выполнен в срок ({ $due }).
deadline-year-bank = 📋 Начался учебный год: обновите банк наставляемых (кто станет наставляемым в этом году) и наставников, чьи пары завершились. Банк: /bank
deadline-year-monitoring = 📋 Май: пора мониторинга. Запустите анкеты этапа 1 (качество) и этапа 2 (влияние) со сроком до конца учебного года: /survey
deadline-survey-left3 = ⏰ Анкету нужно заполнить до { $due } (осталось { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }). Открыть: /survey
deadline-survey-left1 = ⏰ { $days ->
        [0] Сегодня
       *[other] Завтра
    }, { $due }, срок анкеты. Открыть: /survey

deadline-button-done = ✅ Выполнено
deadline-button-move = 📅 Перенести
deadline-button-plan = 📋 План
deadline-button-complete = ✅ Завершить
deadline-button-extend = ⏩ Продлить
deadline-button-end-early = ⏹ Досрочно
deadline-button-report = 📝 Отчёт
deadline-button-stage-done = ✅ Этап выполнен
deadline-button-roadmap = 🗺 Дорожная карта

deadline-stage-preparation = Подготовка условий
deadline-stage-mentee_bank = Формирование банка наставляемых
deadline-stage-mentor_bank = Формирование банка наставников
deadline-stage-mentor_training = Отбор и обучение наставников
deadline-stage-pairs = Формирование пар и групп
deadline-stage-work_in_pairs = Работа в парах
deadline-stage-completion = Завершение программ
deadline-stage-information = Информационная поддержка

deadline-mute-required = Это напоминание требует Положение о наставничестве, его нельзя отключить.
deadline-roadmap-not-a-member = Ответственным может быть только сотрудник организации.
deadline-report-bad-mark = Отметьте каждый пункт: выполнен, выполнен с опозданием или не выполнен.
deadline-report-bad-score = Оценка — от 1 до 5 по каждому критерию.
