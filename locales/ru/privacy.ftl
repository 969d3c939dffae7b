## /privacy: согласие, выгрузка и отзыв

privacy-nothing-stored = О вас ничего не хранится, кроме выбранного языка.
privacy-summary = <b>Мои данные</b>: { $organisation }
privacy-consent-given = Согласие на обработку персональных данных дано { $date } (версия текста { $version }).
privacy-consent-none = Действующего согласия нет.
privacy-show-text = 📄 Текст согласия
privacy-export = 📦 Выгрузить мои данные
privacy-export-caption = Всё, что бот хранит о вас, одним файлом.
privacy-withdraw = Отозвать согласие
privacy-withdraw-confirm =
    Отозвать согласие в организации { $organisation }?
    Ваши персональные данные будут удалены, а в отчётах останется только обезличенная запись. Вернуться можно будет по новой ссылке-приглашению.
privacy-withdraw-yes = Да, отозвать и удалить данные
privacy-withdraw-no = Нет, оставить
privacy-kept = Хорошо, всё остаётся как было.
privacy-withdrawn = Согласие отозвано, ваши данные в организации { $organisation } удалены. Куратору сообщено.
