"""Built-in programme templates, adapted to a kindergarten from the example programmes of seed 003.

A template is data: the texts a mentor starts from (in Russian and English) and a calendar plan
whose rows sit at a share of the pair's term, so the due dates spread over whatever term it has.
Everything a template fills in stays editable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    ru: str
    en: str

    def in_(self, locale: str) -> str:
        return self.en if locale == "en" else self.ru


@dataclass(frozen=True)
class PlannedActivity:
    at: float  # the share of the term that has passed by the due date, 0..1
    content: Text
    expected: Text


@dataclass(frozen=True)
class Template:
    code: str
    title: Text
    goal: Text
    tasks: Text
    planned_results: Text
    form: Text
    activities: tuple[PlannedActivity, ...]


def _a(
    at: float, content_ru: str, expected_ru: str, content_en: str, expected_en: str
) -> PlannedActivity:
    return PlannedActivity(at, Text(content_ru, content_en), Text(expected_ru, expected_en))


FIRST_YEAR = Template(
    code="first_year",
    title=Text("Первый год в профессии", "First year in the profession"),
    goal=Text(
        "Помочь молодому воспитателю освоиться в профессии и в коллективе детского сада: "
        "уверенно планировать работу с группой, проводить занятия и режимные моменты, "
        "находить контакт с детьми, родителями и коллегами.",
        "Help a young educator settle into the profession and the kindergarten team: plan the "
        "group's work, run activities and daily routines with confidence, and get on with "
        "children, parents and colleagues.",
    ),
    tasks=Text(
        "1. Выявить профессиональные затруднения и интересы наставляемого.\n"
        "2. Помочь составить план образовательной работы с группой и вести документацию.\n"
        "3. Показать на практике организацию занятий, режимных моментов и прогулки.\n"
        "4. Научить анализировать своё занятие и планировать следующие шаги.\n"
        "5. Включить наставляемого в методическую работу детского сада.",
        "1. Find out the mentee's professional difficulties and interests.\n"
        "2. Help plan the group's educational work and keep its records.\n"
        "3. Show in practice how to run activities, daily routines and outdoor time.\n"
        "4. Teach the mentee to analyse their own activity and plan next steps.\n"
        "5. Involve the mentee in the kindergarten's methodical work.",
    ),
    planned_results=Text(
        "Наставляемый: уверенно планирует и проводит занятия и режимные моменты; ведёт "
        "документацию группы; провёл открытое занятие и проанализировал его; знает, к кому "
        "обращаться за помощью.\n"
        "Наставник: обобщает опыт сопровождения молодого педагога.",
        "Mentee: plans and runs activities and routines with confidence; keeps the group's "
        "records; has given an open lesson and analysed it; knows whom to ask for help.\n"
        "Mentor: sums up the experience of supporting a young teacher.",
    ),
    form=Text(
        "Традиционная (педагог – педагог), индивидуальная.",
        "Traditional (teacher – teacher), one-to-one.",
    ),
    activities=(
        _a(
            0.0,
            "Диагностическая беседа: интересы, достижения и затруднения наставляемого",
            "Определены затруднения и цели программы",
            "Diagnostic talk: the mentee's interests, achievements and difficulties",
            "Difficulties and the programme's goals are agreed",
        ),
        _a(
            0.06,
            "Знакомство с образовательной программой детского сада, режимом дня и документацией "
            "группы",
            "Наставляемый знает, какие документы ведёт воспитатель",
            "Introduction to the kindergarten's educational programme, daily routine and group "
            "records",
            "The mentee knows which records an educator keeps",
        ),
        _a(
            0.12,
            "Консультация на рабочем месте: календарно-тематическое планирование",
            "Составлен план работы с группой на месяц",
            "Workplace consultation: planning the group's work by themes",
            "A month's plan for the group is written",
        ),
        _a(
            0.22,
            "Посещение занятий и режимных моментов наставника",
            "Заполнен лист наблюдения, вопросы обсуждены",
            "Attending the mentor's activities and routines",
            "An observation sheet is filled in and discussed",
        ),
        _a(
            0.35,
            "Наставник посещает занятия наставляемого, совместный разбор",
            "Даны рекомендации по структуре занятия",
            "The mentor attends the mentee's activities; joint review",
            "Recommendations on the structure of an activity are given",
        ),
        _a(
            0.5,
            "Консультация: общение с родителями воспитанников",
            "Подготовлена памятка для бесед с родителями",
            "Consultation: talking with the children's parents",
            "A short guide for talks with parents is prepared",
        ),
        _a(
            0.65,
            "Участие в работе методического объединения детского сада",
            "Наставляемый выступил на заседании",
            "Taking part in the kindergarten's methodical association",
            "The mentee has spoken at a meeting",
        ),
        _a(
            0.8,
            "Открытое занятие наставляемого для коллег",
            "Проведено открытое занятие, выполнен самоанализ",
            "The mentee's open lesson for colleagues",
            "The open lesson is given and self-analysed",
        ),
        _a(
            0.9,
            "Рефлексия: что получилось, что ещё трудно",
            "Обновлён список затруднений",
            "Reflection: what worked, what is still hard",
            "The list of difficulties is updated",
        ),
        _a(
            1.0,
            "Итоговая консультация и план дальнейшего роста",
            "Рекомендации по индивидуальному образовательному маршруту",
            "Final consultation and a plan for further growth",
            "Recommendations for the individual educational route",
        ),
    ),
)

PARENTS_MEETING = Template(
    code="parents_meeting",
    title=Text("Родительское собрание", "Parents' meeting"),
    goal=Text(
        "Помочь воспитателю подготовить и уверенно провести родительское собрание в группе, "
        "в том числе онлайн.",
        "Help an educator prepare and confidently hold a parents' meeting of the group, "
        "online as well.",
    ),
    tasks=Text(
        "1. Выявить затруднения в работе с родителями воспитанников.\n"
        "2. Изучить удачный опыт и разные формы родительских собраний.\n"
        "3. Помочь вести документацию собрания.\n"
        "4. Отработать проведение собрания и онлайн-встречи с родителями.",
        "1. Find out the difficulties in working with the children's parents.\n"
        "2. Study good practice and different forms of parents' meetings.\n"
        "3. Help keep the meeting's records.\n"
        "4. Practise holding a meeting and an online meeting with parents.",
    ),
    planned_results=Text(
        "Наставляемый: планирует темы собраний с учётом запросов родителей; знает не менее "
        "5 форм собраний и пишет сценарий; при необходимости привлекает специалистов "
        "(педагог-психолог, логопед); оформляет протокол; проводит собрание.\n"
        "Наставник: систематизирует свой опыт.",
        "Mentee: plans meeting topics from parents' requests; knows at least 5 forms of "
        "meetings and writes a script; brings in specialists when needed (psychologist, speech "
        "therapist); writes the minutes; holds the meeting.\n"
        "Mentor: puts their experience in order.",
    ),
    form=Text("Традиционная (педагог – педагог).", "Traditional (teacher – teacher)."),
    activities=(
        _a(
            0.0,
            "Определение затруднений в проведении родительских собраний",
            "Определены цели программы",
            "Finding the difficulties in holding parents' meetings",
            "The programme's goals are set",
        ),
        _a(
            0.08,
            "Знакомство с документами и формами родительских собраний",
            "Составлен перечень форм собраний",
            "Studying the documents and forms of parents' meetings",
            "A list of meeting forms is made",
        ),
        _a(
            0.16,
            "Совместный опрос родителей группы о темах на год",
            "Определена тематика собраний",
            "A joint survey of the group's parents on topics for the year",
            "Meeting topics are chosen",
        ),
        _a(
            0.25,
            "Посещение открытого родительского собрания наставника",
            "Разобран сценарий собрания наставника",
            "Attending the mentor's open parents' meeting",
            "The mentor's meeting script is analysed",
        ),
        _a(
            0.35,
            "Совместная разработка сценария собрания",
            "Сценарий собрания",
            "Writing the meeting's script together",
            "A meeting script",
        ),
        _a(
            0.45,
            "Деловая игра: репетиция собрания на коллегах",
            "Скорректирован сценарий",
            "Role play: rehearsing the meeting with colleagues",
            "The script is corrected",
        ),
        _a(
            0.55,
            "Собрание в группе в присутствии наставника",
            "Протокол собрания",
            "The group's meeting with the mentor present",
            "Minutes of the meeting",
        ),
        _a(
            0.65,
            "Анализ проведённого собрания",
            "Чек-лист с выводами",
            "Reviewing the meeting held",
            "A checklist with conclusions",
        ),
        _a(
            0.8,
            "Практикум: конфликтные ситуации с родителями",
            "Способы предупреждения конфликтов",
            "Workshop: conflicts with parents",
            "Ways to prevent conflicts",
        ),
        _a(
            0.9,
            "Практикум: онлайн-собрание с родителями",
            "Проведена онлайн-встреча",
            "Workshop: an online meeting with parents",
            "An online meeting is held",
        ),
        _a(
            1.0,
            "Итоговая консультация",
            "Рекомендации на следующий год",
            "Final consultation",
            "Recommendations for next year",
        ),
    ),
)

NEW_TECHNOLOGY = Template(
    code="new_technology",
    title=Text("Новая образовательная технология", "New educational technology"),
    goal=Text(
        "Помочь педагогу освоить новую образовательную технологию (например, игровую, "
        "ТРИЗ, робототехнику или цифровые ресурсы) и применять её в работе с детьми группы.",
        "Help a teacher master a new educational technology (for example game-based learning, "
        "TRIZ, robotics or digital resources) and use it with the group's children.",
    ),
    tasks=Text(
        "1. Определить, какую технологию осваиваем и что уже знакомо.\n"
        "2. Изучить методические материалы и опыт коллег.\n"
        "3. Отработать приёмы технологии на совместных занятиях.\n"
        "4. Разработать и провести занятия с применением технологии.\n"
        "5. Представить опыт коллегам.",
        "1. Choose the technology and see what is already familiar.\n"
        "2. Study methodical materials and colleagues' experience.\n"
        "3. Practise the technology's techniques in joint activities.\n"
        "4. Design and run activities that use the technology.\n"
        "5. Present the experience to colleagues.",
    ),
    planned_results=Text(
        "Наставляемый: знает принципы технологии; разработал серию занятий (не менее трёх) с "
        "её применением; провёл открытое занятие; пополнил методическую копилку.\n"
        "Наставник: обобщает опыт применения технологии в детском саду.",
        "Mentee: knows the technology's principles; has designed a series of at least three "
        "activities using it; has given an open lesson; has added to the methodical piggy bank.\n"
        "Mentor: sums up the experience of using the technology in the kindergarten.",
    ),
    form=Text(
        "Традиционная или реверсивная (педагог – педагог), при необходимости дистанционная.",
        "Traditional or reverse (teacher – teacher), distance when needed.",
    ),
    activities=(
        _a(
            0.0,
            "Беседа: какую технологию осваиваем, что уже знакомо",
            "Выбрана технология, определены цели",
            "Talk: which technology, what is already familiar",
            "The technology and goals are chosen",
        ),
        _a(
            0.1,
            "Изучение методических материалов и примеров",
            "Подборка материалов",
            "Studying methodical materials and examples",
            "A collection of materials",
        ),
        _a(
            0.2,
            "Мастер-класс наставника по технологии",
            "Освоены основные приёмы",
            "The mentor's master class on the technology",
            "The main techniques are learned",
        ),
        _a(
            0.35,
            "Посещение занятий наставника с применением технологии",
            "Лист наблюдения",
            "Attending the mentor's activities that use the technology",
            "An observation sheet",
        ),
        _a(
            0.5,
            "Совместная разработка серии занятий",
            "Конспекты трёх занятий",
            "Designing a series of activities together",
            "Plans of three activities",
        ),
        _a(
            0.65,
            "Занятия наставляемого с применением технологии, разбор",
            "Рекомендации по доработке",
            "The mentee's activities using the technology, reviewed",
            "Recommendations for improvement",
        ),
        _a(
            0.8,
            "Открытое занятие для коллег",
            "Проведено открытое занятие, выполнен самоанализ",
            "An open lesson for colleagues",
            "The open lesson is given and self-analysed",
        ),
        _a(
            0.9,
            "Выступление на педагогическом совете или методическом объединении",
            "Опыт представлен коллегам",
            "A talk at the teachers' council or methodical association",
            "The experience is presented to colleagues",
        ),
        _a(
            1.0,
            "Итоговая консультация, материалы в методическую копилку",
            "Материалы в копилке детского сада",
            "Final consultation, materials to the methodical piggy bank",
            "The materials are in the kindergarten's piggy bank",
        ),
    ),
)

CONTEST = Template(
    code="contest",
    title=Text("Подготовка к конкурсу", "Preparing for a contest"),
    goal=Text(
        "Подготовить педагога к конкурсу профессионального мастерства (например, "
        "«Воспитатель года») и помочь достойно выступить.",
        "Prepare a teacher for a professional skills contest (for example «Educator of the "
        "Year») and help them perform well.",
    ),
    tasks=Text(
        "1. Изучить положение конкурса и критерии оценки.\n"
        "2. Выбрать тему и сильные стороны опыта наставляемого.\n"
        "3. Подготовить конкурсные материалы: эссе, описание опыта, конкурсное занятие, "
        "мастер-класс.\n"
        "4. Провести репетиции с обратной связью.\n"
        "5. Проанализировать итоги.",
        "1. Study the contest's rules and assessment criteria.\n"
        "2. Choose the theme and the strengths of the mentee's experience.\n"
        "3. Prepare the contest materials: essay, description of experience, contest activity, "
        "master class.\n"
        "4. Rehearse with feedback.\n"
        "5. Analyse the results.",
    ),
    planned_results=Text(
        "Наставляемый: вовремя подал заявку и материалы; провёл конкурсное занятие и "
        "мастер-класс; получил опыт публичного выступления.\n"
        "Наставник: обобщил опыт подготовки участников конкурсов.",
        "Mentee: has sent the application and materials on time; has given the contest "
        "activity and master class; has gained experience of speaking in public.\n"
        "Mentor: has summed up the experience of preparing contestants.",
    ),
    form=Text(
        "Традиционная (педагог – педагог), краткосрочная (целеполагающая).",
        "Traditional (teacher – teacher), short-term (goal-setting).",
    ),
    activities=(
        _a(
            0.0,
            "Изучение положения конкурса и критериев оценки",
            "Составлен план подготовки со сроками",
            "Studying the contest's rules and criteria",
            "A preparation plan with dates is made",
        ),
        _a(
            0.1,
            "Беседа: сильные стороны и тема опыта",
            "Выбрана тема конкурсных материалов",
            "Talk: strengths and the theme of the experience",
            "The theme of the contest materials is chosen",
        ),
        _a(
            0.2,
            "Просмотр выступлений участников прошлых лет",
            "Разобраны удачные приёмы",
            "Watching past contestants' performances",
            "Good techniques are analysed",
        ),
        _a(
            0.3,
            "Эссе и описание педагогического опыта",
            "Черновик эссе",
            "Essay and description of teaching experience",
            "A draft essay",
        ),
        _a(
            0.45,
            "Разработка конкурсного занятия",
            "Конспект занятия",
            "Designing the contest activity",
            "The activity plan",
        ),
        _a(
            0.55,
            "Разработка мастер-класса",
            "Сценарий мастер-класса",
            "Designing the master class",
            "The master class script",
        ),
        _a(
            0.7,
            "Репетиция перед коллегами с обратной связью",
            "Доработанные материалы",
            "A rehearsal before colleagues with feedback",
            "Improved materials",
        ),
        _a(
            0.85,
            "Участие в конкурсе",
            "Заявка подана, выступление проведено",
            "Taking part in the contest",
            "The application is sent, the performance given",
        ),
        _a(
            1.0,
            "Анализ итогов конкурса",
            "Выводы и планы",
            "Reviewing the contest's results",
            "Conclusions and plans",
        ),
    ),
)

NEW_TO_TEAM = Template(
    code="new_to_team",
    title=Text("Новый педагог в коллективе", "New to the team"),
    goal=Text(
        "Помочь педагогу, пришедшему из другой организации, быстро войти в коллектив, узнать "
        "традиции и требования детского сада и раскрыть свои сильные стороны.",
        "Help a teacher who came from another organisation join the team quickly, learn the "
        "kindergarten's traditions and requirements, and bring out their strengths.",
    ),
    tasks=Text(
        "1. Установить неформальный профессиональный контакт.\n"
        "2. Познакомить с традициями, программой и документами детского сада.\n"
        "3. Выявить сильные стороны педагога.\n"
        "4. Включить в общие проекты и мероприятия.",
        "1. Build an informal professional contact.\n"
        "2. Introduce the kindergarten's traditions, programme and documents.\n"
        "3. Find the teacher's strengths.\n"
        "4. Involve them in shared projects and events.",
    ),
    planned_results=Text(
        "Наставляемый: знает традиции и требования детского сада; участвует в общих "
        "мероприятиях; поделился своим опытом с коллегами.\n"
        "Наставник: обмен опытом с коллегой.",
        "Mentee: knows the kindergarten's traditions and requirements; takes part in shared "
        "events; has shared their experience with colleagues.\n"
        "Mentor: an exchange of experience with a colleague.",
    ),
    form=Text("Традиционная (педагог – педагог).", "Traditional (teacher – teacher)."),
    activities=(
        _a(
            0.0,
            "Знакомство: беседа за чашкой чая",
            "Установлен контакт, составлен личный портрет",
            "Getting acquainted over a cup of tea",
            "Contact is made, a personal portrait written",
        ),
        _a(
            0.1,
            "Знакомство с детским садом, коллегами и специалистами",
            "Наставляемый знает, к кому обращаться",
            "Getting to know the kindergarten, colleagues and specialists",
            "The mentee knows whom to turn to",
        ),
        _a(
            0.2,
            "Образовательная программа, традиции и документация детского сада",
            "Вопросы сняты",
            "The kindergarten's educational programme, traditions and records",
            "Questions are answered",
        ),
        _a(
            0.4,
            "Взаимное посещение занятий",
            "Обмен находками",
            "Attending each other's activities",
            "Ideas are exchanged",
        ),
        _a(
            0.6,
            "Участие в общем празднике или проекте детского сада",
            "Наставляемый в команде мероприятия",
            "Taking part in a kindergarten celebration or project",
            "The mentee is on the event's team",
        ),
        _a(
            0.8,
            "Мастер-класс наставляемого для коллег «Чему я могу научить»",
            "Опыт наставляемого представлен коллегам",
            "The mentee's master class for colleagues «What I can teach»",
            "The mentee's experience is presented",
        ),
        _a(
            1.0,
            "Итоговая беседа",
            "Рекомендации",
            "Final talk",
            "Recommendations",
        ),
    ),
)

TEMPLATES: tuple[Template, ...] = (
    FIRST_YEAR,
    PARENTS_MEETING,
    NEW_TECHNOLOGY,
    CONTEST,
    NEW_TO_TEAM,
)
BY_CODE = {template.code: template for template in TEMPLATES}
