## Кнопки напоминаний о сроках, /overdue и /reminders

command-overdue = просроченные пункты планов
command-reminders = мои напоминания

reminder-cancel = Отмена
reminder-close = Закрыть

reminder-move-ask-day =
    📅 Пункт плана «{ $content }», срок { $due }.
    Выберите новую дату.
reminder-move-use-calendar = Выберите дату на календаре выше.
reminder-move-ask-reason =
    📅 Новая дата пункта «{ $content }»: { $new_due }.
    Почему срок переносится? Коротко, до { $limit } символов.
reminder-move-term-over = Срок программы закончился { $end }, перенести пункт некуда. Продлить программу может куратор.
reminder-moved = Срок пункта { $number } перенесён на { $date }.
reminder-moved-notice =
    📅 { $name } перенёс(ла) срок пункта плана на { $date }:
    { $content }
    Причина: { $reason }
pair-event-activity_moved = срок пункта плана перенесён

reminder-overdue-title = <b>Просроченные пункты планов</b>
reminder-overdue-none = Просроченных пунктов планов нет.
reminder-overdue-line =
    Пара № { NUMBER($number, useGrouping: 0) }: { $mentor } — { $mentees }
    «{ $content }», срок { $due } (просрочено на { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    })

reminders-no-roles = Напоминания приходят участникам наставничества. Когда вы присоединитесь к организации, здесь можно будет их настроить.
reminders-title = <b>О чём я напоминаю</b>
reminders-line-on = 🔔 { $kind }
reminders-line-off = 🔕 { $kind } — выключено
reminders-line-required = 📌 { $kind } — обязательно
reminders-required-note = 📌 Эти напоминания требует Положение о наставничестве, их нельзя выключить. Остальные можно выключить и включить снова кнопками ниже.
reminders-turn-off = 🔕 Выключить: { $kind }
reminders-turn-on = 🔔 Включить: { $kind }
reminders-muted = Выключено.
reminders-unmuted = Включено.
reminders-kind-programme = программа наставничества в течение 10 дней
reminders-kind-mentor_30d = наставник в течение 30 дней
reminders-kind-activity = сроки пунктов плана
reminders-kind-term_soon = за 14 дней до конца программы
reminders-kind-term_end = решение по истёкшему сроку программы
reminders-kind-report = итоговые отчёты
reminders-kind-roadmap = этапы дорожной карты
reminders-kind-year = начало учебного года и мониторинг в мае
reminders-kind-survey = сроки анкет
pair-status-term-passed = срок истёк
pairlife-plan-fulfilment = План выполнен: { $plan_done } из { $plan_total }.
