## Напоминания о сроках (10 дней на программу, 30 дней на наставника)

reminder-programme-soon = ⏰ Программу наставничества для: { $mentees } нужно составить до { $due } (осталось { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }). Открыть: /programme
reminder-programme-overdue = ⚠️ Срок составления программы для: { $mentees } истёк { $due }. Пожалуйста, завершите и отправьте её: /programme
reminder-programme-overdue-desk = ⚠️ Наставник { $mentor } не отправил программу для: { $mentees }; срок был { $due } (10 дней после утверждения пары). Пары: /pairs
reminder-mentor-soon = ⏰ { $mentee }: наставника нужно утвердить до { $due } (30 дней с начала работы, осталось { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }). Подобрать: /pair
reminder-mentor-overdue = ⚠️ { $mentee }: 30 дней с начала работы прошли { $due }, а наставник не утверждён. Подобрать: /pair
reminder-mentor-pending-soon = ⏰ { $mentee }: наставника нужно утвердить до { $due } (30 дней с начала работы, осталось { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }). Пара предложена, но ещё не утверждена. Пары: /pairs
reminder-mentor-pending-overdue = ⚠️ { $mentee }: 30 дней с начала работы прошли { $due }, а пара с наставником ещё не утверждена. Пары: /pairs
