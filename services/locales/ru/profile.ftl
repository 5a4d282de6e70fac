# The digital profile (/profile) and its PDF portfolio.

cmd-profile = Цифровой профиль и портфолио

profile-title = Цифровой профиль: { $name }
profile-pdf-title = Портфолио участника программы «Кадры будущего для регионов»
profile-section-applications = Заявка и результат отбора
profile-section-teams = Команда и роль
profile-section-stages = Этапы дорожной карты проекта
profile-section-tasks = Выполненные задачи ИУП
profile-section-visits = Стажировки и профессиональные пробы
profile-section-defence = Защита проекта
profile-none = —
profile-defence-pending = ещё не проводилась

profile-application-line = { $season }: заявка { $number } — { $status }
profile-status-draft = черновик
profile-status-submitted = подана
profile-status-in_review = на рассмотрении
profile-status-withdrawn = отозвана
profile-status-accepted = принят(а) в программу
profile-status-waitlisted = в листе ожидания
profile-status-not_selected = не прошёл(ла) отбор
profile-team-line = { $team } — { $role }
profile-stage-line = { $team }: { $title }
profile-task-line = { $title } ({ $kind })
profile-visit-line = { $day } — { $kind }, { $organisation }

profile-btn-pdf = 📄 Портфолио в PDF
profile-pdf-queued = Портфолио придёт отдельным файлом.
profile-pdf-caption = Портфолио: { $name }
profile-btn-members = 👤 Профили участников
profile-members-title = Чей профиль открыть?
profile-members-none = В команде пока нет обучающихся.
profile-usage = Профиль участника: /profile или /profile <номер участника> (для наставников и офиса).
