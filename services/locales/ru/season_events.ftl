## The season's events (services/season_events/, dialogs/season_events.py)

cmd-event_new = Новое мероприятие (YAML)
cmd-checkin_code = Код отметки на мероприятии
cmd-roster = Список присутствующих
cmd-event_move = Перенести пункт программы
cmd-agenda = Программа моих мероприятий
cmd-checkin = Отметиться на мероприятии по коду

event-office-only = Это доступно только проектному офису.
event-no-season = Сезон ещё не начат.
event-gone = Такого мероприятия больше нет.
event-not-invited = Вы не приглашены на это мероприятие.
event-not-invited-person = Этот человек не приглашён на мероприятие.
event-over = Мероприятие уже прошло.
event-yaml-bad = Не получилось разобрать описание мероприятия: { $detail }.
event-new-help =
    Пришлите описание мероприятия сразу после команды, например:
    /event_new
    { $example }
event-created = Мероприятие «{ $title }» создано (№ { $id }): пунктов программы — { $items }, приглашено — { $invited }.
event-btn-yes = Буду
event-btn-no = Не смогу
event-invitation =
    📅 Приглашение: { $title }
    Начало: { $start }, место: { $place }
    Программа:
    { $agenda }
event-agenda-item = • { $at } — { $title } ({ $place })
event-answered = { $answer ->
    [yes] Ваш ответ: буду ✅
   *[no] Ваш ответ: не смогу
}
event-answer-saved = Ответ записан.
event-answer-same = Этот ответ уже записан.
event-reminder-day = ⏰ Напоминание: «{ $title }» — начало { $start }, место: { $place }.
event-reminder-hour = ⏰ Напоминание: через час — «{ $title }», начало { $start }, место: { $place }.
event-agenda-none = У вас нет предстоящих мероприятий.
event-agenda =
    📅 { $title } (место: { $place })
    { $agenda }
event-changed = ⚠️ Изменение в программе «{ $title }»: «{ $item }» теперь { $at }, место: { $place }.
event-move-help = Напишите: /event_move НОМЕР_ПУНКТА ГГГГ-ММ-ДД ЧЧ:ММ [место]
event-moved = Пункт перенесён; сообщили подтвердившим участие: { $told }.
event-code-help = Напишите: /checkin_code НОМЕР_МЕРОПРИЯТИЯ [минут]
event-code-minutes = Срок действия кода — от 0 до 1440 минут.
event-code-busy = Не удалось подобрать свободный код, попробуйте ещё раз.
event-code-made = Код для отметки: { $code } (действует до { $until }). Покажите его участникам на площадке.
event-checkin-help = Напишите: /checkin КОД (шесть цифр с экрана на площадке).
event-code-invalid = Код неверный или срок его действия истёк. Попросите организатора показать новый.
event-checked-in = Вы отмечены на мероприятии «{ $title }». ✅
event-checked-in-already = Вы уже отмечены на мероприятии «{ $title }».
event-roster-help = Напишите: /roster НОМЕР_МЕРОПРИЯТИЯ
event-roster = Присутствие: «{ $title }» — приглашённых (кроме отказавшихся): { $total }, показаны первые { $shown }.
event-roster-row = { $present ->
    [yes] ✅ { $name }
   *[no] ▫️ { $name }
}
event-btn-mark = ✅ был: { $name }
mydata-section-events = Мероприятия, которые вы создали
mydata-section-event-invitations = Приглашения на мероприятия и ваши ответы
mydata-section-event-checkins = Отметки о присутствии на мероприятиях
