## Selection: reviewers' notices, the application card, /review, the office's /selection

cmd-review = Заявки на проверку
cmd-selection = Отбор: рейтинг, решения, результаты

sel-role-student = обучающийся
sel-role-tutor = тьютор
sel-role-none = —
sel-no-season = Набор ещё не загружен.
sel-notice =
    📥 Новая заявка { $number } ({ $role }).
    Выбранные ваши идеи: { $ideas }.
    Откройте её, чтобы посмотреть анкету и поставить оценки.
sel-notice-tutor =
    📥 Новая заявка тьютора { $number }.
    Заявки тьюторов оценивает проектный офис: откройте её, чтобы посмотреть анкету и поставить оценки.
sel-btn-open = 📄 Открыть заявку
sel-media-caption = Самопрезентация: { $name }, заявка { $number }
sel-media-video-note = 🎥 Видеосообщение ниже — самопрезентация: { $name }, заявка { $number }

sel-card-title = 📄 { $name } — заявка { $number }, { $role }
sel-card-presentation = { $kind ->
    [photo] фото — выше
    [video] видео — выше
    [video_note] видеосообщение — выше
    [voice] голосовое сообщение — выше
    [audio] аудио — выше
    [document] документ — выше
   *[other] файл — выше
}
sel-card-presentation-text = Самопрезентация (текст)
sel-card-ranking = Выбранные идеи (по приоритету):
sel-card-panel-of = Заявка { $number } · { $name }
sel-card-scores = Ваши оценки (0–5):
sel-card-criteria = Критерии (0–5):
sel-card-criterion = К{ $n }. { $title } (вес { $weight }): { $score }
sel-card-criterion-office = К{ $n }. { $title } (вес { $weight })
sel-card-unscored = —
sel-card-my-partial = Оценено критериев: { $scored } из { $total }. Ваша оценка войдёт в итоговый балл, когда будут оценены все.
sel-card-combined = Итоговый балл: { $score } (оценщиков: { $reviewers })
sel-card-no-score = Итоговый балл: полных оценок пока нет
sel-card-incomplete = Неполных оценок: { $count } — они не учитываются, пока оценщик не оценит все критерии.
sel-card-my-comment = Ваш комментарий: { $comment }
sel-card-my-rec = Ваша рекомендация: { $rec }
sel-card-how = Оцените каждый критерий кнопками К1–К{ $last }, затем дайте рекомендацию.
sel-card-notes = Оценки и рекомендации оценщиков:
sel-card-note = • { $state } · рекомендация: { $rec }
sel-note-complete = оценка { $score }
sel-note-incomplete = неполная оценка ({ $scored } из { $total } критериев) — не учитывается
sel-card-decided = Решение принято: { $decision }. Оценки больше не меняются.
sel-rec-accept = принять
sel-rec-waitlist = лист ожидания
sel-rec-reject = отказать
sel-rec-none = нет
sel-decision-accepted = принят(а) в «{ $idea }»
sel-decision-waitlisted = лист ожидания
sel-decision-rejected = не прошёл(ла) отбор
sel-btn-comment = 💬 Комментарий
sel-btn-rec-accept = 👍 Принять
sel-btn-rec-waitlist = ⏳ В лист ожидания
sel-btn-rec-reject = 👎 Отказать
sel-btn-score = К{ $n }: { $v }
sel-btn-score-mine = •К{ $n }: { $v }•
sel-btn-next-application = Следующая заявка ▶️
sel-queue-done = Все ваши заявки оценены полностью — следующей нет. Список — /review.
sel-score-saved = Оценка сохранена.
sel-rec-saved = Рекомендация сохранена.
sel-comment-ask = Напишите комментарий к заявке { $number } одним сообщением. Передумали — /cancel.
sel-comment-saved = Комментарий сохранён — он в карточке заявки выше.
sel-comment-short = Комментарий слишком короткий — напишите хотя бы пару слов.
sel-comment-long = Комментарий длиннее { $limit } символов — сократите, пожалуйста.
sel-comment-text = Комментарий — это текстовое сообщение. Напишите его словами или нажмите /cancel.
sel-comment-restart = Откройте заявку и нажмите «Комментарий» ещё раз.
sel-decided = Решение уже принято.
sel-not-active = Заявка отозвана или ещё не отправлена — оценивать нечего.

sel-review-none = У вас нет проектных идей с заявками на проверку.
sel-review-title = Заявки на проверку ({ $filter }), стр. { $page } из { $pages }:
sel-review-all = все ваши идеи
sel-review-empty = Непроверенных заявок нет.
sel-review-item = { $mark } { $number } · { $role }
sel-review-mark = { $progress ->
    [complete] ✅
    [partial] ◐
   *[none] ▫️
}
sel-review-legend = ✅ — вы оценили все критерии, ◐ — оценка неполная (не учитывается), ▫️ — ещё не оценивали.
sel-btn-all-ideas = Все идеи
sel-btn-prev = ◀️ Назад
sel-btn-next = Вперёд ▶️

sel-office-title = Отбор: заявок { $applications }, без решения { $undecided }.
sel-office-published = Результаты опубликованы: принято { $accepted }, лист ожидания { $waitlisted }, не прошли отбор { $rejected }.
sel-office-idea = { $n }. { $title } — обучающиеся: выбрали { $s_ranked }, принято { $s_accepted } из { $s_capacity }; тьюторы: выбрали { $t_ranked }, принято { $t_accepted } из { $t_capacity }
sel-office-hint = Нажмите идею, чтобы увидеть рейтинг кандидатов.
sel-btn-top = ✅ Принять лучших по квотам
sel-btn-publish = 📣 Опубликовать результаты
sel-btn-overview = ↩️ К списку идей
sel-idea-title = «{ $title }»: места — обучающиеся { $students }, тьюторы { $tutors }.
sel-idea-students = Обучающиеся:
sel-idea-tutors = Тьюторы:
sel-idea-none = — никто не выбрал
sel-idea-row = { $n }. { $number } — { $score } (оценщиков: { $reviewers }, выбор № { $rank }){ $incomplete }{ $decision }
sel-idea-no-score = нет полных оценок
sel-idea-incomplete = , неполных оценок: { $count }
sel-idea-decision = { $decision ->
    [accepted] · ✅ принят(а)
    [accepted-elsewhere] · принят(а) в другую идею
    [waitlisted] · ⏳ лист ожидания
   *[rejected] · ✖️ отказ
}
sel-btn-accept-to = ✅ Принять в «{ $idea }»
sel-btn-waitlist = ⏳ Лист ожидания
sel-btn-reject = ✖️ Отказать
sel-decided-done = Решение записано.
sel-btn-undo = ↩️ Отменить решение
sel-undo-done = Решение отменено: заявку можно оценивать и решать заново.
sel-undo-stale = Это решение уже отменено или заменено другим — ничего не изменено. Откройте заявку заново.
sel-idea-full = В идее «{ $idea }» больше нет мест для этой роли.
sel-published = Результаты уже опубликованы — решения больше не меняются.
sel-top-preview = Будут приняты ({ $count }):
sel-top-line = { $number } → «{ $idea }» (выбор № { $rank }, балл { $score })
sel-top-empty = Некого принимать: нет оценённых заявок без решения или свободных мест.
sel-top-rule = Правило: кандидаты идут по убыванию итогового балла; каждый получает самую приоритетную из своих идей, где ещё есть место для его роли. Кандидат принимается не более чем в одну идею.
sel-btn-confirm = ✅ Подтвердить
sel-btn-cancel = Отмена
sel-top-done = Принято заявок: { $count }.
sel-top-again = Уже сделано: по этому предпросмотру принято заявок — { $count }. Повторно ничего не изменено.
sel-plan-changed = Пока вы смотрели, оценки или решения изменились. Откройте предпросмотр ещё раз.
sel-cancelled = Ничего не изменено.
sel-publish-preview =
    Опубликовать результаты? Каждый кандидат получит одно сообщение.
    Принято: { $accepted }, лист ожидания: { $waitlisted }, отказ: { $rejected }.
    Без решения: { $undecided } — они попадут в лист ожидания.
sel-publish-done = Результаты опубликованы: отправлено сообщений — { $sent }, сформировано команд — { $teams }.
sel-publish-waiting = Несовершеннолетних среди получателей: { $waiting } — им результат придёт утром, после тихих часов.
sel-publish-no-mentor = Без наставника (команда не создана): { $ideas }.
sel-publish-again = Результаты уже были опубликованы — повторно ничего не отправлено.

sel-result-accepted =
    🎉 Поздравляем! По итогам отбора в программу { $season } вы приняты в проектную команду идеи «{ $idea }».
    Ваш наставник — { $mentor }.
    Что дальше: бот пришлёт приглашение в команду и её чат, а затем — ваш индивидуальный учебный план. Команда /team покажет состав команды.
sel-result-waitlisted =
    Спасибо за заявку в программу { $season }! Сейчас вы в листе ожидания: если в команде освободится место, мы сразу напишем вам здесь.
sel-result-rejected =
    Спасибо за заявку в программу { $season } и за время, которое вы вложили в анкету! В этот раз в команду попасть не удалось — конкурс был высоким. Это не оценка ваших способностей: пробуйте снова в следующем наборе, а пока следите за новостями программы.
