## The office's /broadcast: segment, filter, text, preview, progress and the report
cmd-broadcast = Рассылка по сегменту

broadcast-office-only = Рассылки делает только проектный офис.
broadcast-no-season = Набор ещё не загружен: рассылать некому.
broadcast-gone = Эта рассылка уже отправлена или отменена. Новая — командой /broadcast.
broadcast-filter-gone = Такого варианта больше нет. Выберите из списка ещё раз.
broadcast-content-unsupported = Пришлите текст рассылки или фото либо документ с подписью.
broadcast-too-long = Текст слишком длинный: { $length } символов, а в одно сообщение помещается { $limit }. Сократите его и пришлите снова.
broadcast-no-text = Сначала пришлите текст рассылки.
broadcast-nobody = В этом сегменте сейчас некому отправить сообщение. Выберите другой — командой /broadcast.
broadcast-not-sending = Рассылка уже завершена или остановлена.

broadcast-choose-segment = Кому отправить рассылку?
broadcast-segment-students = Зачисленные участники
broadcast-segment-applicants = Все подавшие заявку
broadcast-segment-tutors = Тьюторы
broadcast-segment-mentors = Наставники
broadcast-segment-site_contacts = Контакты площадок
broadcast-segment-overdue = Участники с просроченными задачами ИУП

broadcast-choose-filter = Сегмент: { $segment }. Сузить круг получателей?
broadcast-btn-no-filter = Всем в сегменте
broadcast-filter-municipality = По муниципалитету
broadcast-filter-idea = По идее проекта
broadcast-filter-team = По команде
broadcast-filter-status = По статусу заявки
broadcast-choose-value = { $filter }: выберите вариант (страница { $page } из { $pages }).
broadcast-no-values = Вариантов пока нет.
broadcast-btn-prev = ◀ Назад
broadcast-btn-next = Дальше ▶
broadcast-btn-back = ↩ К фильтрам

broadcast-status-submitted = Подана
broadcast-status-in_review = На рассмотрении
broadcast-status-accepted = Принята
broadcast-status-waitlisted = В листе ожидания
broadcast-status-not_selected = Не прошла отбор

broadcast-write = Получатели: { $audience }.
    Пришлите текст рассылки (до { $text_limit } символов) или фото либо документ с подписью (до { $caption_limit } символов). Отменить — /cancel.
broadcast-audience-filtered = { $segment }, { $filter }: { $value }

broadcast-preview = Так увидят сообщение получатели:
    ———
    { $sample }
    ———
    Получатели: { $audience } — { $recipients } чел.
    { $urgent ->
        [yes] Срочно: несовершеннолетним придёт и в тихие часы.
       *[no] Несовершеннолетних: { $minors }; из них утром, после тихих часов, получат: { $deferred }.
    }
broadcast-preview-text-only = Получателей в другом мессенджере: { $count } — им придёт только текст, без файла.
broadcast-preview-no-caption = (без подписи)
broadcast-preview-media = [{ $kind ->
        [photo] фото
       *[document] документ
    }]
broadcast-btn-urgent-off = Срочно (и ночью): нет
broadcast-btn-urgent-on = Срочно (и ночью): да ✅
broadcast-btn-send = Отправить
broadcast-btn-rewrite = Изменить текст
broadcast-btn-discard = Отмена

broadcast-started = Рассылка запущена: { $total } получателей. Ход рассылки — в сообщении ниже.
broadcast-discarded = Рассылка отменена, никому ничего не отправлено.
broadcast-stopped = Рассылка остановлена: не отправлено { $count } сообщений. Уже отправленные остались у получателей.
broadcast-btn-stop = ⏹ Остановить рассылку
broadcast-media-elsewhere = Проектный офис отправил файл — он доступен в другом мессенджере, где вы пользуетесь ботом.

broadcast-progress = { $state ->
        [done] ✅ Рассылка завершена.
        [cancelled] ⏹ Рассылка остановлена.
       *[sending] 📤 Идёт рассылка…
    }
    Доставлено: { $sent } из { $total }
    Не доставлено: { $failed }
    Заблокировали бота: { $blocked }
    Ждут конца тихих часов: { $waiting }
    Не подтверждено (сбой во время отправки): { $uncertain }
    Отменено: { $cancelled }

broadcast-report = Отчёт о рассылке: { $state ->
        [cancelled] остановлена.
       *[done] завершена.
    }
    Получателей: { $total }. Доставлено: { $sent }. Не доставлено: { $failed }. Заблокировали бота: { $blocked } (отмечены неактивными). Не подтверждено: { $uncertain }. Отменено: { $cancelled }.

# /mydata: the broadcasts an office member wrote
mydata-section-broadcasts = Рассылки, которые вы отправляли
