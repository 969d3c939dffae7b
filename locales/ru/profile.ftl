## Анкета участника банка и /profile

form-progress = <b>{ $number }/{ $total }</b>
form-back = ◀ Назад
form-skip = Пропустить
form-done = Готово
form-today = Сегодня
form-share-phone = 📱 Поделиться номером
form-mentor-consent-agree = ✅ Даю согласие быть наставником
form-type-other = Напишите свой вариант одним сообщением.
form-other-noted = Ваш вариант: { $text }. Отметьте остальное и нажмите «Готово».
form-complete = Профиль заполнен, спасибо! Посмотреть и поправить: /profile. Что ещё можно сделать: /help
form-unknown-command = Такой команды здесь нет. Ответьте на вопрос, или выйдите из диалога: /cancel
form-use-buttons = Выберите ответ кнопкой под вопросом.

q-full_name = Как вас зовут? Напишите фамилию, имя и отчество.
q-position = Ваша должность?
q-phone = Ваш контактный телефон. Нажмите кнопку, чтобы поделиться номером из Telegram, или напишите его. Можно пропустить.
q-birth_year = Год рождения? Например: 1995.
q-education = Ваше образование?
q-experience_years = Педагогический стаж, полных лет? Если меньше года, напишите 0.
q-started_on = Когда вы начали работать в этой организации? Дата в виде ДД.ММ.ГГГГ.
q-mentee_category = Что про вас точнее всего?
q-main_request = Ваш главный запрос к наставнику: с чем нужна помощь в первую очередь?
q-difficulties = В чём бывают профессиональные затруднения? Отметьте всё, что подходит; свой вариант можно написать сообщением.
q-competencies = Ваши основные компетенции как наставника? Отметьте всё, что подходит; свой вариант можно написать сообщением.
q-achievements = Ваши достижения, важные для наставничества (конкурсы, публикации, открытые занятия)?
q-interests = Ваши профессиональные интересы?
q-preferred_mentee = Кого вам было бы удобнее наставлять (стаж, возраст, направление)?
q-hours_per_month = Сколько часов в месяц вы готовы уделять наставничеству? Число от 1 до 80.
q-mentor_consent_at =
    Наставника назначают только с его письменного согласия.
    Нажмите кнопку, если согласны быть назначенным наставником в этой организации.

field-full_name = ФИО
field-position = Должность
field-phone = Телефон
field-birth_year = Год рождения
field-education = Образование
field-experience_years = Стаж, лет
field-started_on = Начало работы в организации
field-mentee_category = Категория
field-main_request = Основной запрос
field-difficulties = Затруднения
field-competencies = Компетенции
field-achievements = Достижения
field-interests = Интересы
field-preferred_mentee = Желаемый наставляемый
field-hours_per_month = Часов в месяц
field-mentor_consent_at = Согласие быть наставником

opt-position-educator = Воспитатель
opt-position-senior_educator = Старший воспитатель
opt-position-music_director = Музыкальный руководитель
opt-position-pe_instructor = Инструктор по физической культуре
opt-position-speech_therapist = Учитель-логопед
opt-position-defectologist = Учитель-дефектолог
opt-position-psychologist = Педагог-психолог
opt-position-additional_education = Педагог дополнительного образования
opt-position-methodist = Методист
opt-position-other = Другая (напишу)

opt-education-higher_pedagogical = Высшее педагогическое
opt-education-higher_other = Высшее непедагогическое
opt-education-vocational_pedagogical = Среднее профессиональное педагогическое
opt-education-vocational_other = Среднее профессиональное непедагогическое

opt-mentee_category-young_specialist = Молодой специалист, первые шаги в профессии
opt-mentee_category-new_technology = Опытный педагог, осваиваю новую технологию
opt-mentee_category-new_to_team = Недавно пришёл(ла) в этот коллектив
opt-mentee_category-non_pedagogical = Образование не педагогическое

opt-difficulties-planning = Планирование образовательной работы
opt-difficulties-methods = Методики и технологии занятий
opt-difficulties-parents = Работа с родителями
opt-difficulties-group_management = Организация группы, дисциплина
opt-difficulties-documentation = Документация
opt-difficulties-inclusion = Дети с ОВЗ, инклюзия
opt-difficulties-digital = Цифровые инструменты
opt-difficulties-health = Здоровьесбережение
opt-difficulties-team = Отношения в коллективе

opt-competencies-planning = Планирование образовательной работы
opt-competencies-methods = Методики и технологии занятий
opt-competencies-parents = Работа с родителями
opt-competencies-group_management = Организация группы
opt-competencies-documentation = Документация
opt-competencies-inclusion = Инклюзивное образование
opt-competencies-digital = Цифровые инструменты
opt-competencies-health = Здоровьесбережение
opt-competencies-contests = Подготовка к конкурсам
opt-competencies-research = Проекты и исследования

profile-none = Вы пока не участник ни одной организации. Чтобы войти, откройте ссылку-приглашение от куратора.
profile-staff-only = Вы { $role } в организации { $organisation }. Анкета банка для этой роли не ведётся.
profile-header = <b>Мой профиль</b> ({ $role })
profile-incomplete = Анкета заполнена не до конца.
profile-edit = ✏️ Изменить
profile-continue = ▶ Продолжить анкету
profile-choose-field = Что изменить?
profile-mentor-consent-given = дано { $date }
