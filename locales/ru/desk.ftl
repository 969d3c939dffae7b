## Организации, приглашения и банк (куратор, заведующий, администратор)

org-ask-name = Полное название организации? Например: МБДОУ «Детский сад № 5 „Солнышко“».
org-ask-short-name = Короткое название для кнопок и списков? Например: Д/с № 5.
org-ask-timezone = Часовой пояс организации? Выберите кнопкой или напишите, например: Europe/Moscow.
org-ask-curator = Кто будет куратором наставничества?
org-curator-myself = Я сам(а)
org-curator-invite = Назначу по ссылке-приглашению
org-created = Организация создана: <b>{ $name }</b>, часовой пояс { $timezone }.
org-you-are-curator = Вы куратор. Пригласите участников: /invite
org-choose = Выберите организацию:
org-switched = Теперь вы работаете в организации { $name }.

tz-Europe-Kaliningrad = Калининград (МСК−1)
tz-Europe-Moscow = Москва (МСК)
tz-Europe-Samara = Самара (МСК+1)
tz-Asia-Yekaterinburg = Екатеринбург (МСК+2)
tz-Asia-Omsk = Омск (МСК+3)
tz-Asia-Novosibirsk = Новосибирск (МСК+4)
tz-Asia-Krasnoyarsk = Красноярск (МСК+4)
tz-Asia-Irkutsk = Иркутск (МСК+5)
tz-Asia-Yakutsk = Якутск (МСК+6)
tz-Asia-Vladivostok = Владивосток (МСК+7)
tz-Asia-Magadan = Магадан (МСК+8)
tz-Asia-Kamchatka = Камчатка (МСК+9)

invite-no-organisation = Сначала нужна организация: создайте её (/neworg) или выберите (/org).
invite-choose-role = Кого пригласить в { $organisation }?
invite-choose-limit = Приглашение: { $role }. Сколько человек смогут войти по ссылке?
invite-uses = { $count ->
        [one] { $count } человек
        [few] { $count } человека
       *[many] { $count } человек
    }
invite-uses-unlimited = Без ограничения
invite-may-join = { $count ->
        [one] войти сможет { $count } человек
        [few] войти смогут { $count } человека
       *[many] войти смогут { $count } человек
    }
invite-may-join-any = войти смогут сколько угодно человек
invite-created =
    Приглашение готово: { $role }.
    { $link }
    Действует до { $expires }, { $uses }. Перешлите ссылку тем, кого приглашаете.
invite-revoked = Приглашение отозвано ({ $role }).
invite-already-revoked = Это приглашение уже отозвано.
invites-none = Действующих приглашений нет. Создать: /invite
invites-header = <b>Действующие приглашения</b>
invites-line = { $number }. { $role }: вошли { $used } из { $limit }, до { $expires }
    { $link }
invites-revoke = Отозвать № { NUMBER($number, useGrouping: 0) }

bank-header = <b>Банк</b>: { $total } · { $filter } · стр. { $page }/{ $pages }
bank-empty = Здесь пока никого нет.
bank-anonymous = (данные удалены)
bank-no-pair = без пары
bank-withdrawn = согласие отозвано
bank-back = ◀ К списку
bank-filter-all = Все
bank-filter-mentors = Наставники
bank-filter-mentees = Наставляемые
bank-filter-nopair = Без пары
bank-filter-withdrawn = Отозвали согласие
bank-filter-young_specialist = Молодые специалисты
bank-filter-new_technology = Новая технология
bank-filter-new_to_team = Новые в коллективе
bank-filter-non_pedagogical = Непедагогическое образование
bank-card-title = <b>Карточка</b>: { $role }, { $organisation }
bank-card-joined = Дата вхождения в программу: { $date }
bank-card-withdrawn = Согласие отозвано { $date }, персональные данные удалены.
bank-card-pair = { $has ->
        [true] Пара или группа: есть
       *[false] Пара или группа: нет
    }
bank-find-mentor = 🤝 Подобрать наставника

delivery-summary = <b>Доставка сообщений</b>
    В очереди: { $queued }
    Отправлено сегодня: { $sent }
    Не удалось отправить: { $failed }
    Недоступны (заблокировали бота): { $unreachable }
delivery-failed-header = <b>Не отправлены:</b>
delivery-failed-line = • { $purpose }: { $error }
delivery-unreachable-header = <b>Заблокировали бота:</b>
delivery-unreachable-more = …и ещё { $count }
delivery-purpose-broadcast = рассылка
delivery-purpose-help = ситуационная помощь
delivery-purpose-reminder = напоминание
delivery-purpose-pair = пара или группа
delivery-purpose-survey = анкета
delivery-purpose-programme = программа
delivery-purpose-notice = уведомление
