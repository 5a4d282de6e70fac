## /stats: the season at a glance for the project office, and a mentor's share of it
cmd-stats = Статистика набора и графики
stats-not-allowed = Статистика доступна только проектному офису и наставникам.
stats-no-season = Текущий набор не найден: статистике не из чего считать.

stats-title = Статистика: { $season }
stats-scope-mine = Только ваши идеи ({ $ideas }) и команды ({ $teams }).
stats-taken-at = На { $at } ({ $zone }).

stats-funnel-title = Воронка заявок
stats-funnel-started = Начали анкету
stats-funnel-consented = Дали согласие
stats-funnel-submitted = Подали
stats-funnel-reviewed = Проверены
stats-funnel-accepted = Приняты
stats-funnel-line = { $name }: { $count }{ $share }
stats-share = { " " }({ $percent } %)

stats-roles = Подано: школьников — { $students }, тьюторов — { $tutors }.
stats-days = По дням (начали / подали), последние { $days }:
stats-day-line = { $day }: { $started } / { $submitted }
stats-days-none = Заявок по дням пока нет.
stats-municipalities = По муниципалитетам:
stats-ideas = По идеям (школьники / тьюторы):
stats-ages = Возраст (полных лет): до 14 — { $under14 }, 14–17 — { $minors }, 18 и старше — { $adults }{ $unknown }.
stats-ages-unknown = , не указан — { $count }
stats-count-line = { $name } — { $count }
stats-idea-line = { $title } — { $students } / { $tutors }
stats-more = …и ещё { $count }

stats-teams = Команды: { $count }. Этапы дорожных карт: принято { $approved } из { $stages }, на проверке { $submitted }.
stats-team-line = { $name } — принято { $approved } из { $stages }
stats-teams-none = Команд пока нет.
stats-tasks = Задачи ИУП: всего { $total }, выполнено { $done }, на проверке { $submitted }, просрочено { $overdue }.
stats-bookings = Стажировки и пробы: записаны { $holding }, в листе ожидания { $waitlisted }, отменено { $cancelled }; пришли { $attended }, не пришли { $no_show }.
stats-reminders = Отправлено напоминаний: { $count }.
stats-charts-coming = Графики придут следующими сообщениями (PNG).

stats-refresh = 🔄 Обновить с графиками
stats-refresh-text = 🔢 Только цифры

stats-chart-caption = Статистика набора
stats-chart-funnel = Воронка заявок
stats-chart-ages = Возраст подавших
stats-chart-days = Заявки по дням
stats-chart-started = начали
stats-chart-submitted = подали
stats-chart-municipalities = По муниципалитетам
stats-chart-ideas = По идеям
stats-chart-students = школьники
stats-chart-tutors = тьюторы
stats-chart-empty = Пока нет данных
