## The public defence: the juror's /jury and the office's /defence
cmd-jury = Оценка команд на защите
cmd-defence = Защита проектов: сессии и рейтинг

df-jury-none = Вы не входите в жюри ни одной сессии защиты.
df-jury-title = Команды вашей сессии защиты:
df-jury-item = { $mark } «{ $team }» — сессия { $session }
df-jury-empty = Команд пока нет.
df-card-title = Команда «{ $team }», сессия { $session } ({ $place })
df-card-line = К{ $n }. { $title } (вес { $weight }): { $value }
df-card-open = Оценка от 1 до 5 по каждому критерию.
df-card-closed = Сессия закрыта: оценки окончательные.
df-btn-teams = « Команды
df-score-saved = Оценка сохранена
df-session-closed = Сессия закрыта: оценки окончательные и больше не меняются.

df-office-title = Защита проектов
df-office-session = Сессия { $code }: { $at }, { $place } — { $state }; жюри { $jurors }, команд { $teams }
df-state-open = идёт
df-state-closed = закрыта
df-office-ranking = Рейтинг:
df-rank-line = { $rank }. «{ $team }» — { $mean }
df-rank-incomplete = {" "}(оценки неполные: { $given } из { $expected })
df-rank-none = — «{ $team }» — оценок нет
df-office-published = Результаты опубликованы.
df-btn-close = Закрыть сессию { $code }
df-btn-publish = Опубликовать
df-closed = Сессия закрыта
df-publish-confirm = Опубликовать результаты защиты? Это делается один раз, отменить нельзя.
    Команд в рейтинге: { $teams }; без оценок: { $unscored }; с неполными оценками: { $incomplete }.
    Сообщений участникам и наставникам: { $recipients }.
df-publish-confirm-open = Не закрыто сессий: { $sessions } — жюри ещё может менять в них оценки, а опубликованное сообщение уже не изменится.
df-publish-confirm-waiting = Сейчас тихие часы: несовершеннолетним ({ $waiting }) результаты придут утром, остальным — сразу.
df-btn-publish-yes = Да, опубликовать
df-btn-publish-no = « Назад
df-published = Результаты защиты опубликованы: отправлено сообщений — { $sent }.
df-published-waiting = Несовершеннолетних среди получателей: { $waiting } — им сообщение придёт утром, после тихих часов.
df-publish-again = Результаты защиты уже опубликованы.
df-setup-team = Нет команды с кодом { $team }.

df-result = Результаты защиты: команда «{ $team }» — { $rank } место из { $teams }, средний балл { $mean }.
df-result-unscored = Результаты защиты: команда «{ $team }» не получила оценок жюри.

role-jury = член жюри
help-jury = Для жюри: /jury — команды вашей сессии защиты и оценка по критериям.
export-role-jury = член жюри

mydata-section-defence-jurors = Сессии защиты, в жюри которых вы входите
mydata-section-defence-scores = Ваши оценки команд на защите
mydata-section-defence-publications = Публикация результатов защиты
df-setup-bad = Раздел защиты не читается: нужны criteria (code, title, weight) и sessions (code, place, starts_at, jurors, teams).
profile-defence-result = «{ $team }»: { $rank } место из { $teams }, средний балл { $mean }

cmd-presentation = Загрузить итоговую презентацию
df-presentation-none = Загружать презентацию некому: ваша команда не записана на защиту.
df-presentation-late = Срок загрузки презентации прошёл.
df-presentation-ask = Пришлите итоговую презентацию команды «{ $team }» файлом (документом).
df-presentation-document = Нужен файл-документ с презентацией.
df-presentation-saved = Презентация команды «{ $team }» сохранена. Новый файл заменит её.
mydata-section-defence-presentations = Итоговые презентации, которые вы загрузили
df-presentation-reminder = Напоминание: итоговую презентацию команды «{ $team }» нужно загрузить до { $due } — команда /presentation.

df-btn-comment = Комментарий
df-comment-ask = Напишите комментарий для команды «{ $team }» одним сообщением (до 1000 символов). Новый комментарий заменит прежний.
df-comment-empty = Нужен текст комментария.
df-comment-long = Комментарий слишком длинный: { $length } символов, можно не больше { $limit }.
df-comment-saved = Комментарий для команды «{ $team }» сохранён.
df-rank-comments = {" "}· отзывов: { $count }
df-rank-marks = {" "}· отметки: { $marks }
df-btn-reviews = Отзывы жюри
df-reviews-title = Отзывы жюри
df-reviews-team = «{ $team }»:
df-reviews-line = — { $author }: { $text }
df-reviews-empty = Отзывов пока нет.
df-juror-n = член жюри { $n }
df-mark-region-head = главе региона
df-mark-federal = федеральный уровень
df-mark-startup = стартап-трек
df-btn-mark = «{ $team }»: { $state }{ $mark }
df-mark-saved = Отметка изменена
df-result-marks = {" "}Проект отмечен: { $marks }.
profile-defence-marks = {" "}(отметки: { $marks })
mydata-section-defence-comments = Ваши комментарии командам на защите (как члена жюри)
mydata-section-defence-marks = Отметки проектов команд, которые вы ставили
df-btn-back = « Назад
