## Анкеты: ответы (/survey) и стол куратора (/surveys)

survey-none = Сейчас анкет для вас нет. Когда куратор пришлёт анкету, она появится здесь и придёт сообщением.
survey-list-head = <b>Анкеты для вас</b>: { $count }
survey-list-line = • <b>{ $title }</b>{ $phase }{ $due }{ $started ->
        [true] , начата: { $answered } из { $total }
       *[false] {""}
    }
survey-due = , до { $date }
survey-phase-before = (в начале программы)
survey-phase-after = (по итогам программы)

survey-invitation = 📝 Вас ждёт анкета «{ $title }»{ $phase ->
        [before] {" "}— в начале программы наставничества
        [after] {" "}— по итогам программы наставничества
       *[once] {""}
    }.{ $due ->
        [none] {""}
       *[other] {" "}Ответить можно до { $due }.
    } Вопросов: { $count }, это займёт пару минут. Каждый ответ сохраняется сразу.
survey-reminder = 🔔 Напоминание: анкета «{ $title }» ждёт ваших ответов{ $phase ->
        [before] {" "}(в начале программы)
        [after] {" "}(по итогам программы)
       *[once] {""}
    }.{ $due ->
        [none] {""}
       *[other] {" "}Срок — до { $due }.
    } Продолжить можно с того места, где вы остановились.
survey-start = Начать
survey-continue = Продолжить

survey-intro =
    <b>{ $title }</b>
    { $intro }

    Вопросов: { $count }. Каждый ответ сохраняется сразу: можно прерваться и вернуться через /survey. В конце вы проверите ответы и отправите их.
survey-question-head = <b>{ $number }/{ $total }</b> · { $title }
survey-current-answer = Сейчас: { $answer }
survey-hint-scale = От { $low } ({ $low_label }) до { $high } ({ $high_label }).
survey-hint-multi = Отметьте всё подходящее и нажмите «Готово».
survey-hint-multi-other = Отметьте всё подходящее и нажмите «Готово». Свой вариант можно написать сообщением.
survey-hint-single-other = Если подходящего варианта нет, напишите свой сообщением.
survey-hint-number = Напишите число от { $low } до { $high }.
survey-hint-date = Напишите дату: ДД.ММ.ГГГГ, например 01.09.2026.
survey-hint-text = Напишите ответ сообщением (до { $limit } символов).
survey-hint-optional = Вопрос можно пропустить.
survey-yes = Да
survey-no = Нет
survey-done = Готово
survey-back = ◀ Назад
survey-skip = Пропустить
survey-keep = Оставить ▶
survey-send = 📨 Отправить
survey-other-button = Свой вариант: { $text }
survey-answer-other = свой вариант: { $text }
survey-answer-scale = { $value } из { $high }
survey-answer-skipped = пропущено

survey-summary-head =
    <b>{ $title }</b>
    Проверьте ответы. Чтобы изменить ответ, нажмите его номер; если всё верно — «Отправить».
survey-summary-line = { $number }. { $question }: <b>{ $answer }</b>
survey-sent = Спасибо! Ответы на анкету «{ $title }» отправлены.

survey-error-not-found = Эта анкета не найдена или предназначена не вам.
survey-error-sent = Эта анкета уже отправлена, ответы изменить нельзя.
survey-error-closed = Эта анкета больше не нужна: куратор её закрыл.
survey-error-expired = Срок этой анкеты истёк.
survey-error-stale = Эта кнопка уже не действует: ответьте на вопрос на экране.
survey-error-use-buttons = Ответьте, пожалуйста, кнопкой под вопросом.
survey-error-on-summary = Вы проверяете ответы: нажмите номер вопроса, чтобы изменить ответ, или «Отправить».
survey-error-pick = Отметьте хотя бы один вариант.
survey-error-pick-or-type = Отметьте хотя бы один вариант или напишите свой.
survey-error-required = На этот вопрос нужно ответить.
survey-error-missing = Остался вопрос без ответа — вот он.
survey-error-text-empty = Ответ пустой. Напишите, пожалуйста, текст.
survey-error-text-too-long = Слишком длинно: { $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }, а можно не больше { $limit }. Сократите, пожалуйста.
survey-error-number = Напишите число от { $low } до { $high }.
survey-error-integer = Нужно целое число от { $low } до { $high }.
survey-error-scale = Выберите оценку от { $low } до { $high } кнопкой или напишите цифру.
survey-error-date = Такой даты нет. Напишите дату в виде ДД.ММ.ГГГГ, например 01.09.2026.
survey-error-date-future = Эта дата ещё не наступила. Укажите сегодняшнюю или прошедшую дату.
survey-error-date-past = Эта дата уже прошла. Укажите сегодняшнюю или будущую дату.

## Стол куратора

survey-desk-head = <b>Анкеты и мониторинг</b> (стр. { $page }/{ $pages })
    { $launches ->
        [yes] Выберите кампанию или запустите новую анкету.
       *[no] Выберите кампанию, чтобы посмотреть результаты. Анкеты запускает куратор.
    }
survey-desk-empty = Кампаний пока нет. Анкета «до и после» (этап 2 мониторинга) рассылается сама, когда пара начинает работу.
survey-desk-campaign-button = { $standing ->
        [true] ♾ { $title }: { $done }/{ $total }
       *[false] { $title }: { $done }/{ $total }, до { $due }
    }
survey-desk-launch = ➕ Запустить анкету
survey-desk-swot-year = SWOT за год
survey-desk-cancel = Отмена

survey-launch-choose = Какую анкету запустить?
survey-launch-audience = <b>{ $title }</b>
    Кому отправить?
survey-audience-role = { $role ->
        [mentee] Наставляемые
        [mentor] Наставники
        [curator] Кураторы
        [head] Руководители
       *[psychologist] Педагоги-психологи
    } ({ $count })
survey-audience-pairs = Участники активных пар ({ $count })
survey-audience-people = Выбрать людей…
survey-launch-people = Отметьте, кому отправить анкету. Выбрано: { $count }. Стр. { $page }/{ $pages }.
survey-person-button = { $name } · { $role }
survey-no-name = без имени
survey-launch-deadline = До какого числа ответить? Выберите срок или напишите дату (ДД.ММ.ГГГГ).
survey-deadline-days = { $days ->
        [7] Неделя
        [14] 2 недели
       *[other] { $days } { $days ->
            [one] день
            [few] дня
           *[many] дней
        }
    }
survey-launch-confirm =
    <b>{ $title }</b>
    Кому: { $audience } — { $count } { $count ->
        [one] человек
        [few] человека
       *[many] человек
    }
    Срок: до { $due }

    Запустить? Каждый получит сообщение с кнопкой «Начать».
survey-audience-is-role = { $role ->
        [mentee] наставляемые
        [mentor] наставники
        [curator] кураторы
        [head] руководители
       *[psychologist] педагоги-психологи
    }
survey-audience-is-pairs = участники активных пар
survey-audience-is-people = выбранные люди
survey-audience-is-impact = участники пар: в начале и по итогам программы
survey-launch-go = 🚀 Запустить
survey-launch-use-buttons = Выберите вариант кнопкой выше или нажмите «Отмена».
survey-launched = Анкета запущена: { $count } { $count ->
        [one] человек
        [few] человека
       *[many] человек
    }, приглашений в очереди на отправку: { $delivered } (уходят в рабочее время). Остальные найдут её в /survey.
survey-error-unknown-questionnaire = Такой анкеты нет.
survey-error-audience-empty = Некому отправить: никто не выбран или в этой группе пока нет людей.
survey-error-deadline-past = Срок должен быть позже сегодняшнего дня.
survey-error-deadline-far = Срок слишком далёкий: не больше { $days } дней.

survey-card =
    <b>{ $title }</b> (версия { $version })
    Кому: { $audience }
    Запущена: { $launched } · срок: { $due }
    { $anonymous ->
        [true] Анонимная: итоги без имён.
       *[false] Именная: куратор видит ответы каждого.
    }

    Ответили: <b>{ $done } из { $total }</b>
    Начали, но не закончили: { $started }
    Ещё не начинали: { $waiting }
    Срок истёк без ответа: { $late }
survey-card-who = 👥 Кто ответил
survey-card-remind = 🔔 Напомнить
survey-card-results = 📊 Итоги
survey-card-chart = 🖼 График
survey-card-export = 📥 Выгрузка XLSX
survey-card-back = ◀ К списку

survey-who-head = <b>Ответили { $done } из { $total }</b>
survey-who-line = { $state ->
        [submitted] ✅
        [in_progress] ⏳
        [late] ⌛
       *[assigned] ▫️
    } { $name } · { $role }{ $phase ->
        [before] {" "}· до программы
        [after] {" "}· после программы
       *[once] {""}
    }
survey-reminded = Напоминание поставлено в очередь: { $delivered } из { $count }.
survey-error-reminded-recently = Напоминание уже отправляли недавно. Следующее можно через { $hours } ч.
survey-error-nobody-to-remind = Напоминать некому: все ответили или срок истёк.

survey-results-head = <b>Итоги: { $title }</b>
    Ответили { $done } из { $total }.
survey-results-phases = В начале программы: { $before }, по итогам: { $after }.
survey-results-anonymous = Анкета анонимная: имён в итогах нет.
survey-results-named = Анкета именная.
survey-results-nobody = Пока никто не ответил.
survey-results-small-group = Ответили меньше { $minimum } человек: показаны только сводные цифры, без ответов текстом, чтобы нельзя было понять, кто что ответил.
survey-result-question = <b>{ $number }. { $question }</b> — ответили { $answered }
survey-result-option = { $label } — { $count } ({ $percent }%)
survey-result-in-swot = Ответы — в таблице SWOT ниже.
survey-result-other = Свой вариант
survey-result-stats = среднее { $mean } · медиана { $median } · от { $low } до { $high }
survey-result-dates = с { $first } по { $last }
survey-result-more-texts = …и ещё { $count } в выгрузке XLSX
survey-impact-head = <b>До и после программы</b> (участников с обеими анкетами: { $count })
survey-impact-line = { $item }: { $before } → { $after } ({ $change }), выросло у { $improved } из { $people }
survey-impact-people-head = <b>По участникам</b>
survey-impact-person = <b>{ $name }</b> · { $role }
survey-impact-person-line = {"  "}{ $item }: { $before } → { $after } ({ $change })
survey-impact-more-people = …и ещё { $count } — все в выгрузке XLSX.

survey-swot-head = <b>SWOT-анализ</b>
survey-swot-year-head = <b>SWOT за год</b>: открытые ответы всех анкет о качестве программы за последние 12 месяцев.
survey-swot-name = { $quadrant ->
        [strengths] Сильные стороны
        [weaknesses] Слабые стороны
        [opportunities] Возможности
       *[threats] Угрозы
    }
survey-swot-quadrant = <b>{ $quadrant ->
        [strengths] S — сильные стороны
        [weaknesses] W — слабые стороны
        [opportunities] O — возможности
       *[threats] T — угрозы
    }</b> ({ $count })
survey-swot-item = • { $text } (×{ $count })
survey-swot-empty = — пока нет ответов
survey-swot-more = …и ещё { $count } в выгрузке XLSX
survey-swot-hidden = Не показаны ответы { $count } чел. из анонимных анкет, где ответили меньше { $minimum } человек.

survey-chart-nothing = Для графика нужны ответы на вопросы-шкалы.
survey-chart-caption = { $title }: ответили { $count }
survey-chart-impact-title = { $title }: среднее до и после
survey-chart-before = До
survey-chart-after = После
survey-chart-note = среднее { $mean } · медиана { $median } · n={ $count }
survey-export-caption = { $title }: ответы ({ $count })
survey-export-small-group = Ответили меньше трёх человек: выгрузка ответов анонимной анкеты раскрыла бы, кто что ответил.

survey-xlsx-answers = Ответы
survey-xlsx-summary = Сводка
survey-xlsx-swot = SWOT
survey-xlsx-impact = До и после
survey-xlsx-number = №
survey-xlsx-person = Участник
survey-xlsx-role = Роль
survey-xlsx-phase = Этап
survey-xlsx-phase-once = —
survey-xlsx-phase-before = до программы
survey-xlsx-phase-after = после программы
survey-xlsx-submitted = Отправлено
survey-xlsx-question = Вопрос
survey-xlsx-value = Вариант
survey-xlsx-count = Ответов
survey-xlsx-mean = Среднее
survey-xlsx-median = Медиана
survey-xlsx-change = Изменение
survey-xlsx-people = Участников
survey-xlsx-positive = Позитивные
survey-xlsx-negative = Негативные
survey-xlsx-internal = Внутренние
survey-xlsx-external = Внешние
