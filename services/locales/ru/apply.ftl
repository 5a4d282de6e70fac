## Applications: /apply, the questionnaire, the review, /status, /privacy

cmd-apply = Подать или продолжить заявку
cmd-status = Статус заявки
cmd-privacy = Мои данные и согласие

apply-btn-apply = 📝 Подать заявку
apply-btn-back = ⬅️ Назад
apply-btn-skip = Пропустить ➡️
apply-btn-keep = Оставить как есть ➡️
apply-btn-agree = ✅ Согласен(на)
apply-btn-parent-agree = ✅ Подтверждаю согласие
apply-btn-share-contact = 📱 Отправить мой номер
apply-btn-edit = ✏️ { $label }
apply-btn-submit = 📨 Отправить заявку
apply-btn-done = Готово ✅
apply-btn-prev = ◀️
apply-btn-next = ▶️
apply-btn-open = Открыть заявку
apply-btn-review = К проверке заявки
apply-btn-withdraw = Отозвать заявку
apply-btn-withdraw-confirm = Да, отозвать заявку
apply-btn-privacy-withdraw = Отозвать согласие и удалить данные
apply-btn-privacy-confirm = Да, отозвать и удалить
apply-btn-no = Нет, оставить

apply-progress = Шаг { $n } из { $total }
apply-current = Сейчас указано: { $value }
apply-editing = Изменение ответа: после сохранения вернёмся к проверке заявки.
apply-phone-saved = Телефон сохранён: { $phone }
apply-keyboard-closed = Хорошо.
apply-label-question = Вопрос { $n }

## Prompts
apply-step-role =
    Кем вы хотите участвовать в программе?

    • Обучающийся — школьник или студент колледжа (СПО).
    • Тьютор (лидер проекта) — студент вуза.
apply-step-consent =
    Согласие на обработку персональных данных (редакция { $version }):

    { $text }

    Пока вы не дали согласие, мы не сохраняем о вас ничего, кроме идентификатора в Telegram. Нажмите кнопку, если согласны.
apply-step-rep_name =
    Участникам младше 18 лет нужно согласие родителя (законного представителя).

    Введите фамилию, имя и отчество родителя или законного представителя.
apply-step-rep_relation = Кем этот человек вам приходится? Выберите вариант кнопкой.
apply-step-rep_phone = Телефон родителя (законного представителя), например +7 900 123-45-67.
apply-step-rep_consent =
    Согласие законного представителя (редакция { $version }):

    { $text }

    Передайте телефон родителю: кнопку нажимает { $name }.
apply-step-birth_date = { $role ->
    [student] Введите дату рождения в формате ДД.ММ.ГГГГ, например 01.09.2011. Обучающиеся участвуют в возрасте от { $low } до { $high } лет на день подачи заявки.
   *[tutor] Введите дату рождения в формате ДД.ММ.ГГГГ, например 01.09.2005. { $high ->
        [none] Тьюторы участвуют в возрасте от { $low } лет.
       *[other] Тьюторы участвуют в возрасте от { $low } до { $high } лет.
    }
}
apply-step-full_name = Введите фамилию, имя и отчество (если есть), например: Иванова Мария Петровна.
apply-step-municipality = В каком муниципалитете вы живёте? Введите первые буквы названия (например, «Том») и выберите из найденного.
apply-step-edu_type = Где вы учитесь?
apply-step-institution = { $kind ->
    [school] Как называется ваша школа? Например: МАОУ СОШ № 32 г. Томска.
    [college] Как называется ваш колледж (техникум)? Например: Томский политехнический техникум.
   *[university] Как называется ваш вуз? Например: Томский государственный университет.
}
apply-step-grade = { $kind ->
    [school] В каком вы классе? Введите число от { $low } до { $high }.
   *[other] На каком вы курсе? Введите число от { $low } до { $high }.
}
apply-step-phone = Ваш номер телефона: нажмите кнопку «Отправить мой номер» внизу или введите его, например +7 900 123-45-67.
apply-step-email = Адрес электронной почты, например name@mail.ru. Можно пропустить.
apply-step-leader_id = Ваш профиль на платформе Leader-ID: номер профиля или ссылка вида https://leader-id.ru/users/123456. Можно пропустить.
apply-step-meo = Ваш логин на платформе «Мобильное электронное образование» (МЭО). Можно пропустить.
apply-step-about = Расскажите о себе: чем увлекаетесь, что умеете, чему хотите научиться. От { $low } до { $high } символов.
apply-step-presentation =
    Самопрезентация: расскажите о себе в удобной форме.

    Подойдёт текст (от { $low } до { $high } символов), видео (до { $minutes } мин и { $video } МБ), видеосообщение-кружок, голосовое сообщение, фото или документ (PDF, DOCX, PPTX, до { $document } МБ).
apply-step-question = { $kind ->
    [scale] { $question }

    Выберите оценку от 1 до 5.
   *[text] { $question }

    Ответ — от { $low } до { $high } символов.
}
apply-step-ideas =
    Проектные идеи: выберите от 1 до { $max } самых интересных в порядке предпочтения — первая нажатая станет первым выбором. Повторное нажатие снимает выбор.
apply-ideas-page = Страница { $page } из { $pages }. Выбрано: { $picked } из { $max }.
apply-ideas-picked = Ваш выбор: { $list }

## Shown values
apply-choice-role-student = обучающийся
apply-choice-role-tutor = тьютор
apply-choice-rep_relation-mother = мать
apply-choice-rep_relation-father = отец
apply-choice-rep_relation-guardian = опекун
apply-choice-rep_relation-trustee = попечитель
apply-choice-edu_type-school = школа
apply-choice-edu_type-college = колледж (СПО)
apply-consent-shown = дано (редакция { $version })
apply-grade-shown = { $kind ->
    [school] { $n } класс
   *[other] { $n } курс
}
apply-media-shown = { $kind ->
    [text] текст
    [video] видео
    [video_note] видеосообщение
    [voice] голосовое сообщение
    [photo] фото
   *[document] документ
}
apply-scale-shown = { $n } из 5
apply-skipped = — (пропущено)
apply-unanswered = — (нет ответа)

## Review labels
apply-label-role = Роль
apply-label-consent = Согласие
apply-label-rep_name = Законный представитель
apply-label-rep_relation = Кем приходится
apply-label-rep_phone = Телефон представителя
apply-label-rep_consent = Согласие представителя
apply-label-birth_date = Дата рождения
apply-label-full_name = ФИО
apply-label-municipality = Муниципалитет
apply-label-edu_type = Где учитесь
apply-label-institution = Учебное заведение
apply-label-grade = Класс / курс
apply-label-phone = Телефон
apply-label-email = Почта
apply-label-leader_id = Leader-ID
apply-label-meo = Логин МЭО
apply-label-about = О себе
apply-label-presentation = Самопрезентация
apply-label-ideas = Проектные идеи

apply-review-title = { $status ->
    [draft] Проверьте заявку перед отправкой.
    [submitted] Заявка № { $number } отправлена. Её можно изменить, пока открыт приём заявок и не началось рассмотрение.
    [in_review] Заявка № { $number } на рассмотрении.
   *[withdrawn] Заявка отозвана.
}
apply-review-edit-hint = Чтобы изменить ответ, нажмите кнопку с его названием.
apply-review-read-only = { $reason ->
    [closed] Приём заявок закрыт: заявку больше нельзя изменить.
    [in_review] Заявка на рассмотрении: изменить её уже нельзя.
   *[other] Заявку нельзя изменить.
}
apply-review-use-buttons = Это экран проверки заявки: используйте кнопки под ним. Открыть его снова — /apply.

apply-submitted =
    Заявка отправлена! Её номер — { $number }.

    Следить за статусом — /status. Изменить ответы можно до { $closes }, пока не началось рассмотрение.
apply-submitted-again = Заявка № { $number } уже отправлена. Статус — /status.

## Problems with an answer (the step is repeated after them)
apply-bad-sticker = Стикер не подходит как ответ на этот вопрос.
apply-bad-command = Команда { $command } сейчас не выполняется: идёт заполнение анкеты. Ответьте на вопрос, или выйдите — /cancel (всё введённое сохранится).
apply-bad-media = Здесь нужен не файл и не медиа.
apply-bad-button = Эта кнопка относится к другому шагу.
apply-bad-input = Не получилось разобрать ответ.
apply-bad-date = Не получилось разобрать дату. Введите её так: 01.09.2011 (день, месяц, год).
apply-bad-date-value = Такой даты нет в календаре. Проверьте день и месяц: например, 01.09.2011.
apply-date-future = Дата рождения не может быть сегодня или в будущем. Введите её так: 01.09.2011.
apply-date-too-old = Проверьте год рождения: введите дату так, например: 01.09.2011.
apply-age-refused = { $role ->
    [student] К сожалению, обучающиеся участвуют в программе в возрасте от { $low } до { $high } лет на день подачи заявки, а вам { $age }. Если дата введена с ошибкой, введите её ещё раз.
   *[tutor] { $high ->
        [none] К сожалению, тьюторы участвуют в программе с { $low } лет, а вам { $age }. Если дата введена с ошибкой, введите её ещё раз.
       *[other] К сожалению, тьюторы участвуют в программе в возрасте от { $low } до { $high } лет, а вам { $age }. Если дата введена с ошибкой, введите её ещё раз.
    }
}
apply-bad-phone = Номер не распознан. Введите российский номер, например +7 900 123-45-67.
apply-contact-not-own = Это чужой контакт. Нажмите кнопку «Отправить мой номер» или введите свой номер, например +7 900 123-45-67.
apply-bad-name = Введите фамилию, имя и отчество (если есть) буквами через пробел, например: Иванова Мария Петровна.
apply-bad-email = Адрес почты не распознан. Введите его так: name@mail.ru — или нажмите «Пропустить».
apply-bad-leader-id = Укажите номер профиля Leader-ID (только цифры) или ссылку вида https://leader-id.ru/users/123456 — или нажмите «Пропустить».
apply-bad-meo = Логин МЭО — латинские буквы, цифры и знаки . _ - (от 3 до 64 символов) или адрес почты. Можно нажать «Пропустить».
apply-bad-grade = { $kind ->
    [school] Введите номер класса числом от { $low } до { $high }, например 9.
   *[other] Введите номер курса числом от { $low } до { $high }, например 2.
}
apply-text-too-short = Слишком коротко: { $length } из минимум { $low } символов. Расскажите подробнее.
apply-text-too-long = Слишком длинно: { $length } символов при максимуме { $high }. Сократите, пожалуйста.
apply-media-unsupported = Такой формат не подходит. Пришлите текст, видео, видеосообщение (кружок), голосовое сообщение, фото или документ (PDF, DOCX, PPTX).
apply-document-unsupported = Этот тип файла не подходит. Пришлите документ в формате PDF, DOC, DOCX, PPT, PPTX, ODT или ODP.
apply-media-too-big = Файл слишком большой: { $size } МБ, а можно не больше { $limit } МБ. Сожмите его или запишите короче.
apply-media-too-long = Слишком длинная запись: { $seconds } с, а можно не больше { $limit } с. Запишите короче.
apply-bad-choice = Выберите один из вариантов кнопкой под сообщением.
apply-bad-scale = Выберите оценку кнопкой или введите число от 1 до 5.
apply-consent-press-button = Чтобы дать согласие, нажмите кнопку под текстом согласия. Если не согласны — /cancel.
apply-muni-unknown = Такого муниципалитета нет в списке. Введите первые буквы названия и выберите из найденного.
apply-muni-none = Не нашлось муниципалитета, название которого начинается с «{ $typed }». Проверьте написание и введите первые буквы ещё раз.
apply-muni-many = Нашлось { $count }: введите ещё несколько букв или выберите ниже.
apply-muni-pick = Выберите ваш муниципалитет из найденного:
apply-ideas-use-buttons = Идеи выбираются кнопками под списком; «Готово» — когда выбор сделан.
apply-ideas-max = Можно выбрать не больше { $max } идей. Чтобы заменить одну, снимите с неё выбор повторным нажатием.
apply-ideas-none = Выберите хотя бы одну идею.
apply-incomplete = В заявке есть вопросы без ответа. Продолжим с первого из них.

## Errors
apply-no-season = Приём заявок ещё не объявлен. Загляните позже.
apply-window-closed = { $when ->
    [before] Приём заявок ещё не начался: он открыт с { $opens } по { $closes } (время { $timezone }).
   *[after] Приём заявок закрыт: он был открыт с { $opens } по { $closes } (время { $timezone }).
}
apply-read-only = { $reason ->
    [closed] Приём заявок закрыт: изменить заявку уже нельзя. Статус — /status.
    [in_review] Заявка на рассмотрении: изменить её уже нельзя. Статус — /status.
    [withdrawn] Заявка отозвана. Чтобы подать её снова, пока идёт приём, — /apply.
   *[other] Изменить заявку сейчас нельзя. Статус — /status.
}
apply-step-unavailable = Этот шаг сейчас недоступен. Продолжить заявку — /apply.
apply-no-application = У вас пока нет заявки. Подать — /apply.
season-file-invalid = В файле набора ошибок: { $count }.

## /status
apply-status = { $status ->
    [none] Набор «{ $season }». Заявки у вас пока нет — подать: /apply.
    [draft] Набор «{ $season }». Заявка заполняется: ответов { $done } из { $total }. Продолжить — /apply.
    [submitted] Набор «{ $season }». Заявка № { $number } отправлена и ждёт рассмотрения.
    [in_review] Набор «{ $season }». Заявка № { $number } на рассмотрении.
    [accepted] Набор «{ $season }». Заявка № { $number }: вы приняты в программу! Подробности — в сообщении с результатами.
    [waitlisted] Набор «{ $season }». Заявка № { $number }: вы в листе ожидания. Мы напишем, если освободится место.
    [not_selected] Набор «{ $season }». Заявка № { $number }: в этот раз вы не прошли отбор. Спасибо за участие!
   *[withdrawn] Набор «{ $season }». Заявка отозвана.
}
apply-status-window = Приём заявок открыт до { $closes }.
apply-withdraw-ask = Отозвать заявку? Ответы сохранятся; пока идёт приём, заявку можно вернуть командой /apply.
apply-withdrawn = Заявка отозвана. Пока идёт приём, её можно вернуть командой /apply.
apply-kept = Хорошо, ничего не меняем.

## /privacy
apply-privacy-none = Действующих согласий на обработку персональных данных у вас нет, и ответов анкеты мы не храним.
apply-privacy =
    Согласия на обработку персональных данных, которые вы дали:
    { $list }

    Вы можете отозвать согласие: заявка будет отозвана, ответы анкеты, самопрезентация и выбор идей — удалены. Запись о данном и отозванном согласии сохранится.
apply-privacy-consent = { $kind ->
    [applicant] • ваше согласие, редакция { $version }, { $when }
   *[representative] • согласие законного представителя, редакция { $version }, { $when }
}
apply-privacy-ask = Точно отозвать согласие? Заявка будет отозвана, а ваши ответы удалены без возможности восстановления.
apply-privacy-done = Согласие отозвано, заявка отозвана, ваши ответы удалены.
