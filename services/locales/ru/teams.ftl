## Command menu
cmd-team = Моя команда: состав и чат
cmd-passport = Паспорт проекта
cmd-roadmap = Дорожная карта проекта
cmd-announce = Объявление в чат команды

## Roles in a team
team-role-mentor = Наставник
team-role-tutor = Тьютор
team-role-student = Обучающийся

## /team
team-none = Вы пока не состоите ни в одной проектной команде. Команды формируются по итогам отбора.
team-pick = Выберите команду:
team-roster-title = Команда «{ $team }»
    Код команды: { $code }
team-roster-line = • { $role }: { $name }{ $contact }{ $me }
team-roster-contact = , { $contact }
team-roster-me = {" "}(вы)
team-roster-chat = Чат команды: «{ $title }».
team-roster-no-chat = Чат команды ещё не привязан.
team-roster-bind-help =
    Чтобы привязать чат: добавьте бота в группу команды, сделайте его администратором с правами «Приглашать участников» и «Блокировать участников» и отправьте в группе: /bind { $code }
    Или откройте ссылку и выберите группу: { $link }
team-roster-sharing-on = Ваш контакт (@имя пользователя) виден команде.
team-roster-sharing-off = Ваш контакт скрыт от команды. Контакты видны только у тех, кто разрешил их показывать.
team-btn-share-on = Показывать мой контакт команде
team-btn-share-off = Скрыть мой контакт
team-btn-passport = Паспорт проекта
team-btn-roadmap = Дорожная карта
team-btn-back = Назад
team-share-on-done = Готово: команда видит ваш контакт.
team-share-off-done = Готово: ваш контакт скрыт.
team-share-no-username = В вашем Telegram не задано имя пользователя (@username), поэтому показать нечего. Задайте его в настройках Telegram и нажмите кнопку ещё раз.
team-back-done = Хорошо, вернулись назад.
team-text-expected = Пришлите, пожалуйста, текст.

## Roster changes
team-you-joined = Вы в проектной команде «{ $team }». Состав и чат команды — /team
team-you-removed = Вы больше не состоите в команде «{ $team }». Если это ошибка, напишите в проектный офис.
team-chat-member-added = В команду «{ $team }» добавлен(а) { $name } — { $role }.
team-chat-member-removed = { $name } больше не в команде «{ $team }».
# /forget: the person's name is being erased, so the team hears no name.
team-chat-member-forgotten = Участник покинул команду.
team-move-same = Человек уже в этой команде: укажите другую команду.
team-not-member = Этого человека нет в команде «{ $code }».
team-already-member = Этот человек уже состоит в команде «{ $code }».

## Binding the team chat
team-bind-usage = Напишите код команды после команды, например: /bind alpha. Код показан в /team.
team-bind-private = Команду /bind нужно отправить в группе команды, а не в личном чате с ботом.
team-bind-anonymous = Бот не видит, кто вы: отправьте /bind не от имени группы, а от своего имени.
team-bind-not-staff = Привязать чат может только наставник или тьютор этой команды.
team-chat-taken = Эта группа уже привязана к команде «{ $other }». Одна группа — одна команда.
team-rebind-mentor-only = У команды уже есть чат. Перенести её в другую группу может только наставник.
team-chat-rights = Бот не может привязать чат: не хватает прав — { $missing }. Откройте настройки группы → Администраторы → бот, включите эти права и отправьте команду ещё раз.
team-right-admin = бот не администратор группы
team-right-invite = «Пригласительные ссылки» (приглашать участников)
team-right-restrict = «Блокировка участников» (удалять участников)
team-chat-bound = Этот чат привязан к команде «{ $team }». Каждому участнику команды бот отправил личную ссылку; заявки участников одобряются автоматически, посторонних — отклоняются.
team-chat-bound-max = Этот чат привязан к команде «{ $team }». Бот сам добавляет в него участников команды, у которых есть MAX, и удаляет тех, кто покинул команду.
team-right-members-max = «Добавлять и удалять участников»
team-chat-elsewhere = Чат команды «{ $team }» находится в { $messenger }, а ваш аккаунт { $messenger } боту не известен, поэтому бот не может позвать вас в этот чат. Попросите наставника команды пригласить вас.
team-chat-already = Этот чат уже привязан к команде «{ $team }».
team-chat-unbound = Этот чат больше не привязан к команде «{ $team }»: у команды теперь другой чат.
team-chat-not-bound = Эта группа не привязана ни к одной команде. Привяжите её: /bind КОД
team-invite = Вас ждут в чате команды «{ $team }». Нажмите кнопку и отправьте заявку на вступление — бот одобрит её, потому что вы в команде.
team-invite-button = Вступить в чат команды
team-member-left-chat = { $name } вышел(ла) из чата команды «{ $team }».
team-bot-removed =
    Бота удалили из чата команды «{ $team }», поэтому чат больше не привязан к команде. Состав команды не изменился.
    Чтобы привязать чат снова: добавьте бота в группу команды (ту же или новую), сделайте его администратором с правами «Пригласительные ссылки» и «Блокировка участников» и отправьте в группе: /bind { $code }
team-bot-rights-lost = У бота в чате команды «{ $team }» не хватает прав — { $missing }. Пока их нет, бот не сможет приглашать участников команды в чат и удалять из него тех, кто покинул команду. Откройте настройки группы → Администраторы → бот и включите эти права. Чат по-прежнему привязан к команде.

## Announcements
team-announce-not-mentor = Объявления в чат команды пишет наставник команды.
team-announce-pick = В чат какой команды отправить объявление?
team-announce-ask = Напишите текст объявления для чата команды «{ $team }».
team-announce-sent = Объявление отправлено в чат команды «{ $team }».
team-announce-empty = Объявление пустое. Напишите текст.
team-announce-long = Объявление слишком длинное: не больше { $limit } знаков.
team-announce-usage-group = Напишите текст после команды, например: /announce Встреча в пятницу в 16:00.
team-no-chat = У команды «{ $team }» ещё нет чата. Привяжите его: /team покажет как.
team-announcement = Объявление наставника:

    { $text }

## Project passport
passport-title = Паспорт проекта команды «{ $team }» — { $status }
passport-status-draft = черновик
passport-status-submitted = на согласовании у наставника
passport-status-returned = возвращён на доработку
passport-status-approved = согласован
passport-field-goal = Цель проекта:
    { $value }
passport-field-tasks = Задачи:
    { $value }
passport-field-results = Ожидаемые результаты:
    { $value }
passport-field-resources = Ресурсы:
    { $value }
roadmap-empty-field = — не заполнено —
passport-ask-goal = Шаг { $step } из { $total }. Какова цель проекта? Одним-двумя предложениями.
passport-ask-tasks = Шаг { $step } из { $total }. Какие задачи нужно решить, чтобы достичь цели? Перечислите их.
passport-ask-results = Шаг { $step } из { $total }. Какие результаты вы ожидаете получить?
passport-ask-resources = Шаг { $step } из { $total }. Какие ресурсы нужны проекту (люди, оборудование, площадки, деньги)?
passport-current = Сейчас записано: { $value }
    Пришлите новый текст или оставьте как есть.
passport-btn-fill = Заполнить
passport-btn-submit = Отправить наставнику
passport-btn-keep = Оставить как есть
passport-btn-exit = Выйти (всё сохранено)
passport-filled = Ответы сохранены.
passport-restart = Этот шаг устарел. Откройте паспорт заново: /passport
passport-nothing-to-keep = Здесь ещё ничего не записано — пришлите текст.
passport-answer-short = Слишком коротко: напишите хотя бы несколько слов.
passport-answer-long = Слишком длинно: не больше { $limit } знаков.
passport-incomplete = Сначала заполните все четыре поля паспорта.
passport-not-editable = Паспорт уже отправлен наставнику или согласован.
passport-locked-draft = Паспорт сейчас нельзя менять.
passport-locked-returned = Паспорт сейчас нельзя менять.
passport-locked-submitted = Паспорт на согласовании у наставника: менять его можно после решения.
passport-locked-approved = Паспорт уже согласован, менять его нельзя.
passport-submitted = Паспорт проекта отправлен наставнику на согласование.
passport-submitted-notice = Паспорт проекта команды «{ $team }» на согласовании.

    Цель: { $goal }

    Задачи: { $tasks }

    Ожидаемые результаты: { $results }

    Ресурсы: { $resources }
passport-approved-done = Паспорт проекта команды «{ $team }» согласован.
passport-returned-done = Паспорт проекта команды «{ $team }» возвращён с комментарием.
passport-return-ask = Напишите комментарий: что доработать в паспорте команды «{ $team }».
passport-approved-notice = Наставник согласовал паспорт проекта команды «{ $team }».
passport-approved-chat = Паспорт проекта команды «{ $team }» согласован наставником.
passport-returned-notice = Наставник вернул паспорт проекта команды «{ $team }» на доработку.
    Комментарий: { $comment }
passport-returned-chat = Паспорт проекта команды «{ $team }» возвращён на доработку.
    Комментарий наставника: { $comment }

## Roadmap
roadmap-title = Дорожная карта команды «{ $team }»
roadmap-no-stages = Этапов пока нет. Их добавляет тьютор.
roadmap-line = { $n }. { $title } — до { $due } — { $status }
roadmap-no-due = срок не задан
roadmap-status-draft = в работе
roadmap-status-submitted = на проверке у наставника
roadmap-status-returned = возвращён на доработку
roadmap-status-approved = принят
roadmap-stage-card = Этап { $n }: «{ $title }»
    Срок: { $due }
    Статус: { $status }
roadmap-report-line = Отчёт: { $report }
roadmap-comment-line = Комментарий наставника: { $comment }
roadmap-report-file = (файл)
roadmap-btn-add = Добавить этап
roadmap-btn-submit = Сдать этап
roadmap-btn-due = Изменить срок
roadmap-btn-approve = Принять
roadmap-btn-return = Вернуть с комментарием
roadmap-btn-open = Открыть
roadmap-btn-list = К дорожной карте
roadmap-btn-back = Назад
roadmap-back-done = Хорошо, вернулись назад. Всё введённое сохранено.
roadmap-text-expected = Пришлите, пожалуйста, текст.
roadmap-ask-title = Как называется этап? Например: «Сбор данных о качестве воздуха».
roadmap-ask-due = Срок этапа «{ $title }»: напишите дату ДД.ММ.ГГГГ или дату и время ДД.ММ.ГГГГ ЧЧ:ММ (по времени региона).
roadmap-due-saved = Срок сохранён.
roadmap-ask-report = Пришлите короткий отчёт по этапу «{ $title }»: текст, ссылку или файл.
roadmap-submitted = Этап «{ $title }» отправлен наставнику на проверку.
roadmap-approved-done = Этап «{ $title }» принят.
roadmap-returned-done = Этап «{ $title }» возвращён с комментарием.
roadmap-return-ask = Напишите комментарий: что доработать в этапе «{ $title }».
roadmap-submitted-notice = Команда «{ $team }» сдала этап «{ $title }».
    Отчёт: { $report }
roadmap-report-caption = Отчёт по этапу «{ $title }»
roadmap-approved-notice = Наставник принял этап «{ $title }» команды «{ $team }».
roadmap-approved-chat = Этап «{ $title }» принят наставником.
roadmap-returned-notice = Наставник вернул этап «{ $title }» команды «{ $team }» на доработку.
    Комментарий: { $comment }
    Исправьте и сдайте этап снова.
roadmap-returned-chat = Этап «{ $title }» возвращён на доработку.
    Комментарий наставника: { $comment }
roadmap-already-decided = По этому уже принято решение.
roadmap-stage-unknown = Этап не найден: возможно, его удалили.
roadmap-too-many = В дорожной карте не больше { $limit } этапов.
roadmap-title-short = Слишком короткое название: хотя бы 3 знака.
roadmap-title-long = Слишком длинное название: не больше 200 знаков.
roadmap-stage-locked = Этап на проверке или уже принят: срок менять нельзя.
roadmap-stage-not-open = Этап уже отправлен на проверку или принят.
roadmap-stage-no-due = Сначала укажите срок этапа.
roadmap-report-unsupported = Отчёт может быть текстом, ссылкой, документом или фото.
roadmap-report-short = Отчёт слишком короткий: напишите хотя бы несколько слов.
roadmap-report-long = Отчёт слишком длинный: не больше 3000 знаков.
roadmap-comment-short = Комментарий слишком короткий: объясните, что доработать.
roadmap-comment-long = Комментарий слишком длинный: не больше { $limit } знаков.
