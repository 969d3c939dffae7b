## The «Наставничество» page for the organisation's site (bot/services/site_page.py)
site-title = Наставничество — { $organisation }
site-intro = В нашем детском саду работает система наставничества педагогических работников: опытные педагоги помогают молодым и новым коллегам войти в профессию и в коллектив.
site-news = Новости и события
site-no-news = Событий пока нет.
site-cancelled = отменено
site-cases = Завершённые программы наставничества
site-no-cases = Завершённых программ пока нет.
site-case-named = Наставник { $mentor } — { $mentees }
site-case-anonymous = { $mentees ->
    [one] Наставник и молодой педагог
   *[other] Наставник и группа молодых педагогов
}
site-case-term = Срок: с { $first } по { $last }
site-case-forms = Форма наставничества: { $forms }
site-case-goal = Цель: { $goal }
site-case-plan = Выполнено мероприятий плана: { $done } из { $total }
site-documents = Документы
site-document-regulation = Положение о системе наставничества педагогических работников
site-document-order = Приказ о внедрении системы наставничества
site-document-roadmap = Дорожная карта реализации системы наставничества
site-document-programmes = Персонализированные программы наставничества
site-document-report = Итоговый аналитический отчёт о реализации системы наставничества
