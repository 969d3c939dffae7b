## Итоговые отчёты наставника и наставляемого (handlers/final_report.py, handlers/report_view.py)

command-final_report = итоговый отчёт по завершённому наставничеству

final-report-invite-mentor = 📝 Наставничество (пара № { NUMBER($number, useGrouping: 0) }) завершено. Пожалуйста, до { $due } заполните итоговый отчёт наставника: как выполнена программа, { $count ->
        [one] каких результатов достиг наставляемый и что вы ему рекомендуете дальше
       *[other] каких результатов достиг каждый из { $count } наставляемых и что вы им рекомендуете дальше
    }. Это займёт около 10 минут.
final-report-invite-mentee = 📝 Наставничество (пара № { NUMBER($number, useGrouping: 0) }) завершено. Пожалуйста, до { $due } заполните итоговый отчёт: как проходило наставничество, что помогло, чего не хватало, и оцените работу наставника. Это займёт около 10 минут.
final-report-open = 📝 Заполнить отчёт
final-report-none = У вас нет итоговых отчётов: они появляются, когда наставничество завершается.
final-report-choose = <b>Мои итоговые отчёты</b>
    Выберите отчёт, чтобы заполнить или прочитать его.
final-report-none-open = Все ваши отчёты отправлены, заполнять ничего не нужно. Отправленные можно прочитать.
final-report-pick-open = 📝 Пара № { NUMBER($number, useGrouping: 0) } · заполнить до { $due }
final-report-pick-sent = ✅ Пара № { NUMBER($number, useGrouping: 0) } · отправлен { $date }
final-report-close = Закрыть
final-report-later = Заполню позже
final-report-back = ◀ Назад
final-report-next = Далее ▶
final-report-keep = Оставить как есть ▶
final-report-skip = Пропустить ▶
final-report-use-buttons = Здесь нужно нажать кнопку под сообщением. /cancel — выйти (ничего не сохранится).

final-report-mentor-head = <b>Итоговый отчёт наставника</b> · пара № { NUMBER($number, useGrouping: 0) } · срок { $due }
final-report-mentee-head = <b>Итоговый отчёт наставляемого</b> · пара № { NUMBER($number, useGrouping: 0) } · срок { $due }
final-report-ask-items = Шаг 1 из 3. <b>Как выполнена программа.</b> Отметки взяты из плана. Нажмите на пункт, чтобы изменить отметку; для невыполненного пункта укажите причину.
final-report-ask-mark = Пункт { $position }: «{ $content }», срок { $due }.
    Сейчас: { $mark }. Как он выполнен?
final-report-mark-button-done = ✅ Выполнен в срок
final-report-mark-button-late = ⏰ Выполнен с опозданием
final-report-mark-button-not_done = ❌ Не выполнен
final-report-mark-done = выполнен
final-report-mark-late = выполнен с опозданием
final-report-mark-not_done = не выполнен
final-report-ask-reason = Пункт { $position }: «{ $content }» не выполнен. Напишите коротко, почему (до { $limit } знаков).
final-report-ask-results = Шаг 2 из 3. { $count ->
        [one] <b>Результаты наставляемого:</b> чему научился, что получилось, чего достиг.
       *[other] <b>Результаты наставляемых</b> — о каждом по имени: чему научился, что получилось, чего достиг.
    } Напишите сообщением (до { $limit } знаков).
final-report-ask-recommendations = Шаг 3 из 3. <b>Рекомендации</b> по дальнейшему профессиональному развитию { $count ->
        [one] наставляемого
       *[other] каждого из наставляемых
    }. Напишите сообщением (до { $limit } знаков).
final-report-now = Сейчас: «{ $now }». Можно оставить или написать заново.
final-report-confirm = Проверьте отчёт. После отправки его читают куратор и заведующий, изменить его будет нельзя.
final-report-submit = 📨 Отправить отчёт
final-report-edit-items = ✏️ Отметки
final-report-sent = ✅ Спасибо! Итоговый отчёт по паре № { NUMBER($number, useGrouping: 0) } отправлен. Прочитать его можно в /final_report.
final-report-all-sent-desk = 📝 Итоговые отчёты по паре № { NUMBER($number, useGrouping: 0) } сданы все. Прочитать: /pairs → пара → «📝 Отчёты».
final-report-already-sent = Этот отчёт уже отправлен. Его можно прочитать в /final_report.
final-report-reason-needed = Для каждого невыполненного пункта нужна причина.

final-report-ask-how-it-went = Вопрос 1 из 4. <b>Как проходило наставничество?</b> Напишите сообщением (до { $limit } знаков).
final-report-ask-helped = Вопрос 2 из 4. <b>Что помогло больше всего?</b> (до { $limit } знаков)
final-report-ask-missing = Вопрос 3 из 4. <b>Чего не хватало?</b> (до { $limit } знаков) Если всего хватало, нажмите «Пропустить».
final-report-ask-score = Вопрос 4 из 4. <b>Оцените работу наставника</b> ({ $step } из { $steps }): { $criterion }.
    1 — совсем не так, 5 — полностью так.
final-report-ask-comment = <b>Комментарий к оценке</b>, если хотите что-то добавить (до { $limit } знаков).
final-report-criterion-availability = находил(а) время, на вопросы отвечал(а) вовремя
final-report-criterion-competence = профессионально знает своё дело, объясняет понятно
final-report-criterion-support = поддерживал(а), относился(ась) доброжелательно
final-report-criterion-feedback = давал(а) полезную обратную связь по моей работе
final-report-criterion-results = помог(ла) мне достичь результатов

final-report-read = 📝 Отчёты
final-report-card-title = <b>Итоговые отчёты</b>
final-report-role-mentor = наставник
final-report-role-mentee = наставляемый
final-report-line-sent = ✅ { $name } ({ $role }) — отправлен { $date }
final-report-line-open = ⏳ { $name } ({ $role }) — ждём до { $due }
final-report-mine-sent = ✅ Пара № { NUMBER($number, useGrouping: 0) } — отправлен { $date }
final-report-mine-open = 📝 Пара № { NUMBER($number, useGrouping: 0) } — заполнить до { $due }
final-report-hint = Заполнить или прочитать: /final_report
final-report-title-mentor = <b>Отчёт наставника</b> · пара № { NUMBER($number, useGrouping: 0) } · { $name } · отправлен { $date }
final-report-title-mentee = <b>Отчёт наставляемого</b> · пара № { NUMBER($number, useGrouping: 0) } · { $name } · отправлен { $date }
final-report-not-yet = Ещё не отправлен (срок { $due }).
final-report-nothing-to-read = Итоговых отчётов пока нет.
final-report-counts = <b>Выполнение программы:</b> в срок — { $done }, с опозданием — { $late }, не выполнено — { $not_done }
final-report-no-items = <b>Выполнение программы:</b> в плане не было пунктов.
final-report-item = { $position }. { $icon } { $content } — { $mark }
final-report-item-reason = (причина: { $reason })
final-report-results = <b>Результаты наставляемого:</b> { $text }
final-report-recommendations = <b>Рекомендации:</b> { $text }
final-report-how-it-went = <b>Как проходило наставничество:</b> { $text }
final-report-helped = <b>Что помогло больше всего:</b> { $text }
final-report-missing = <b>Чего не хватало:</b> { $text }
final-report-comment = <b>Комментарий:</b> { $text }
final-report-evaluation = <b>Оценка наставника</b> (1–5):
final-report-evaluation-of-you = <b>Как вас оценил наставляемый</b> (1–5):
final-report-score-line = • { $criterion }: { $score }
final-report-score-mean = Средняя оценка: { NUMBER($mean, minimumFractionDigits: 1, maximumFractionDigits: 1) }
