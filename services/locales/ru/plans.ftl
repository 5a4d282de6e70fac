## ИУП: commands and help
cmd-plan = Мой ИУП и сроки
cmd-assign = Назначить задачу ИУП

## Names
plan-person-anon = Участник №{ $id }

## Kinds and statuses
plan-kind-online_course = Онлайн-курс
plan-kind-school_subject = Углублённое изучение предмета
plan-kind-internship = Стажировка
plan-kind-professional_trial = Профессиональная проба
plan-kind-project_task = Задача проекта
plan-kind-other = Другое
plan-status-assigned = Назначены
plan-status-in_progress = В работе
plan-status-submitted = На проверке
plan-status-done = Выполнены
plan-status-returned = Возвращены на доработку
plan-state-assigned = назначена
plan-state-in_progress = в работе
plan-state-submitted = сдана, на проверке
plan-state-done = выполнена
plan-state-returned = возвращена на доработку

## /plan and the task card
plan-empty = В вашем ИУП пока нет задач. Их назначает тьютор команды.
plan-empty-reviewer = У ваших команд пока нет задач ИУП. Назначить задачу — /assign
plan-title = Ваш ИУП (ближайшие сроки — первыми):
plan-title-reviewer = Задачи ИУП ваших команд:
plan-line = • { $title }{ $due }{ $overdue }
plan-line-reviewer = • { $student }: { $title }{ $due }{ $overdue }
plan-line-due = {" "}— до { $due }
plan-overdue-mark = {" "}⚠️ просрочено
plan-more = …и ещё { $count }. Откройте задачу кнопкой ниже.
plan-card =
    { $kind }: «{ $title }»
    Статус: { $status }
plan-card-student = Обучающийся: { $student }
plan-card-due = Срок: { $due }
plan-card-overdue = ⚠️ Срок прошёл
plan-card-link = Ссылка: { $link }
plan-card-description = Описание: { $description }
plan-card-comment = Комментарий тьютора: { $comment }
plan-card-evidence = Подтверждение: { $evidence }
plan-evidence-file = файл или фото (отправлено отдельным сообщением)
plan-card-by-attendance = Сдавать ничего не нужно: задача будет выполнена, когда площадка или наставник отметит, что вы пришли.

## Buttons
plan-btn-open = Открыть задачу
plan-btn-start = Взять в работу
plan-btn-submit = Сдать задачу
plan-btn-approve = ✅ Принять
plan-btn-return = ↩️ Вернуть
plan-btn-move = Изменить срок
plan-btn-delete = Удалить задачу
plan-btn-delete-sure = Да, удалить
plan-btn-back = ← Назад
plan-btn-list = ← К списку задач
reminder-btn-hour = Напомнить через час
reminder-btn-tomorrow = Напомнить завтра

## Student actions
plan-started = Задача «{ $title }» — в работе. Когда будет готово, нажмите «Сдать задачу».
plan-submit-ask =
    Сдаём задачу «{ $title }».
    Пришлите подтверждение одним сообщением: текст, ссылку, файл или фото (например, сертификат курса).
plan-submitted = Задача «{ $title }» сдана. Тьютор проверит её и ответит здесь.
plan-evidence-unsupported = Такое подтверждение не подходит. Пришлите текст, ссылку, файл (документ) или фото.
plan-evidence-long = Слишком длинный текст: не больше 3000 знаков. Сократите или пришлите файлом.
plan-evidence-empty = Пустое сообщение не подойдёт. Напишите, что сделано, или пришлите ссылку, файл или фото.
plan-cannot-start = Эту задачу сейчас нельзя взять в работу: она уже сдана или выполнена.
plan-cannot-submit = Эту задачу сейчас нельзя сдать: она уже сдана на проверку или выполнена.
plan-task-by-attendance = Эту задачу не сдают: это запись на стажировку, и она будет выполнена, когда площадка или наставник отметит, что вы пришли.
plan-text-expected = Здесь нужен ответ текстом.
plan-back-done = Хорошо, вернулись. Задача не изменилась.

## Reviewer actions
plan-return-ask = Напишите комментарий для обучающегося: что доработать в задаче «{ $title }».
plan-comment-short = Комментарий слишком короткий. Напишите, что нужно доработать.
plan-comment-long = Комментарий слишком длинный: не больше 1000 знаков.
plan-approved = Задача «{ $title }» принята.
plan-returned = Задача «{ $title }» возвращена на доработку с вашим комментарием.
plan-already-decided = По этой задаче уже принято решение (или она ещё не сдана).
plan-move-ask = Новый срок задачи «{ $title }»: напишите дату и время в виде ДД.ММ.ГГГГ ЧЧ:ММ (например, 15.10.2026 18:00) или только дату.
plan-moved = Срок задачи «{ $title }» перенесён на { $due }. Напоминания перенесены.
plan-cannot-move = Срок этой задачи уже нельзя изменить: она выполнена или удалена.
plan-booking-task = Это запись на стажировку: её время задаёт слот площадки, а отменяет запись сам обучающийся в /bookings.
plan-delete-ask = Удалить задачу «{ $title }» у обучающегося? Напоминания по ней будут отменены.
plan-deleted = Задача «{ $title }» удалена, напоминания отменены.
plan-task-unknown = Задача не найдена: возможно, её удалили.

## Notifications
plan-assigned-notice = Новая задача в вашем ИУП: «{ $title }». Срок — { $due }.
plan-submitted-notice =
    { $student } сдал(а) задачу «{ $title }».
    Подтверждение: { $evidence }
plan-evidence-caption = Подтверждение к задаче «{ $title }»
plan-approved-notice = Задача «{ $title }» принята. Отличная работа!
plan-returned-notice =
    Задача «{ $title }» возвращена на доработку.
    Комментарий тьютора: { $comment }
plan-moved-notice = Срок задачи «{ $title }» перенесён: теперь — { $due }.
plan-deleted-notice = Задача «{ $title }» снята с вашего ИУП.

## /assign
assign-pick-target = Кому назначить задачу? Выберите команду целиком или одного обучающегося.
assign-target-team = 👥 Вся команда «{ $name }»
assign-pick-kind = Задача для: { $target }. Какого она вида?
assign-ask-title = Напишите название задачи (от 3 до 200 знаков).
assign-ask-due = Срок выполнения: напишите дату и время в виде ДД.ММ.ГГГГ ЧЧ:ММ (например, 15.10.2026 18:00) или только дату — тогда до 23:59. Время — по часовому поясу региона.
assign-ask-link = Ссылка на курс или материалы (начинается с http:// или https://). Если ссылки нет — «Пропустить».
assign-ask-desc = Описание задачи: что сделать и как отчитаться (до 2000 знаков). Можно пропустить.
assign-confirm =
    Проверьте задачу:
    Кому: { $target }
    Вид: { $kind }
    Название: «{ $title }»
    Срок: { $due }
    Ссылка: { $link }
    Описание: { $description }
assign-none = —
assign-btn-skip = Пропустить
assign-btn-confirm = ✅ Назначить
assign-btn-cancel = Отменить
assign-done = Готово: задача «{ $title }» назначена ({ $target }), задач создано: { $count }. Напоминания запланированы.
assign-cancelled = Назначение задачи отменено.
plan-assign-stale = Этот шаг уже неактуален. Начните заново: /assign
plan-assign-no-teams = Вы пока не тьютор ни одной команды: назначать задачи некому.
plan-assign-expect-target = Выберите, кому назначить задачу, кнопкой выше.
plan-assign-expect-kind = Выберите вид задачи кнопкой выше.
plan-assign-expect-confirm = Проверьте задачу и нажмите «Назначить» или «Назад».
plan-team-empty = В этой команде пока нет обучающихся.
plan-title-short = Название слишком короткое: нужно хотя бы 3 знака.
plan-title-long = Название слишком длинное: не больше 200 знаков.
plan-link-invalid = Это не похоже на ссылку. Пришлите адрес, начинающийся с http:// или https://, или нажмите «Пропустить».
plan-desc-long = Описание слишком длинное: не больше 2000 знаков.
plan-desc-empty = Описание пустое. Напишите текст или нажмите «Пропустить».
plan-due-format = Не понял дату. Напишите в виде ДД.ММ.ГГГГ ЧЧ:ММ, например 15.10.2026 18:00, или только дату: 15.10.2026.
plan-due-invalid = Такой даты нет в календаре. Проверьте день и месяц (ДД.ММ.ГГГГ) и время (часы 0–23, минуты 0–59).
plan-due-past = Этот срок уже прошёл. Укажите дату и время в будущем.
plan-due-far = Срок слишком далёкий: укажите дату в пределах двух лет.

## Reminders
# Every relative time in a reminder ($left, $late) is computed when it is sent, from the real
# time left: quiet hours may have moved the reminder, or the bot may have been down.
reminder-before =
    Напоминание: задачу «{ $title }» нужно сдать через { $left }.
    Срок — { $due }.
reminder-due-today = Сегодня срок задачи «{ $title }»: { $due }, через { $left }.
reminder-overdue = Срок задачи «{ $title }» прошёл ({ $due }). Сдайте её, как только сможете.
reminder-escalation = Задача «{ $title }» просрочена на { $late } (срок был { $due }). Если нужна помощь — напишите тьютору.
reminder-escalation-tutor = Задача «{ $title }» обучающегося { $student } просрочена на { $late } (срок был { $due }).
# A stretch of time, in the form that follows «через» and «на» (accusative).
reminder-span-days = { $n ->
    [one] { $n } день
    [few] { $n } дня
   *[other] { $n } дней
}
reminder-span-hours = { $n ->
    [one] { $n } час
    [few] { $n } часа
   *[other] { $n } часов
}
reminder-span-minutes = { $n ->
    [one] { $n } минуту
    [few] { $n } минуты
   *[other] { $n } минут
}
reminder-snoozed = Напоминаю о задаче «{ $title }». Срок — { $due }.
reminder-snoozed-until = Хорошо, напомню { $when }.
plan-snooze-closed = Эта задача уже сдана или закрыта — напоминать не о чем.

## The team chat's digest
digest-title = Сроки ИУП на { $date }
digest-today = Сегодня срок:
digest-overdue = Просрочено:
digest-line = • { $name } — «{ $title }» ({ $due })

## Teams (office CLI)
team-unknown = Команда с кодом «{ $code }» не найдена.
team-no-season = Наборов пока нет: команда всегда принадлежит набору. Сначала создайте набор.
team-bad-name = Название команды: от 1 до 200 знаков.
team-bad-code = Код команды: от 2 до 32 латинских букв, цифр, «_» или «-».
team-code-taken = Код «{ $code }» уже занят другой командой.
