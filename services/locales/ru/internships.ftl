# Internships and professional trials: /internships, /bookings, /slots.
cmd-internships = Стажировки и профпробы: запись
cmd-bookings = Мои записи на стажировки
cmd-slots = Слоты площадки и записи

int-kind-internship = стажировка
int-kind-professional_trial = профессиональная проба

int-status-requested = ждёт подтверждения
int-status-confirmed = подтверждена
int-status-offered = освободилось место — подтвердите участие
int-status-offered-until = освободилось место — подтвердите до { $until }
int-status-waitlisted = в листе ожидания
int-status-declined = отклонена
int-status-cancelled = отменена
int-status-expired = время на подтверждение истекло
int-attendance-attended = посещено
int-attendance-no_show = не пришёл(ла)

# /internships
int-week-title = Стажировки и профпробы с { $first } по { $last } (направление: { $direction }):
int-week-empty = В эти дни свободных слотов нет.
int-week-later = Ближайший свободный слот — { $date }: листайте дальше кнопкой «Следующие 7 дней».
int-week-no-later = Позже свободных слотов пока тоже нет. Загляните сюда через несколько дней или выберите другое направление.
int-slot-line =
    { $n }. { $organisation } — { $kind }
       { $when }, { $address }
       Направления: { $direction }. Свободно мест: { $left } из { $capacity }
int-slot-requirements = {"   "}Требования: { $requirements }
int-more = …и ещё { $count }. Выберите направление, чтобы сузить список.
int-dir-all = все
int-pick-direction = Выберите направление:
int-btn-book = Записаться: № { $n }
int-btn-waitlist = В лист ожидания: № { $n }
int-btn-prev-week = « Предыдущие 7 дней
int-btn-next-week = Следующие 7 дней »
int-btn-direction = Направление: { $direction }
int-booked-requested = Вы записаны: { $organisation }, { $when }. Запись ждёт подтверждения площадки или наставника — бот сообщит о решении.
int-booked-confirmed = Вы записаны: { $organisation }, { $when }. Запись подтверждена, она добавлена в ваш ИУП.
int-booked-waitlisted = Свободных мест нет, вы в листе ожидания: { $organisation }, { $when }. Если место освободится, бот предложит его вам.

# /bookings
int-bookings-title = Ваши записи на стажировки и профпробы:
int-bookings-empty = У вас пока нет записей. Открыть свободные слоты: /internships
int-booking-line = { $n }. { $organisation } — { $kind }, { $when }: { $status }
int-btn-cancel = Отменить запись № { $n }
int-btn-accept-n = Подтвердить № { $n }
int-btn-refuse-n = Отказаться № { $n }
int-cancelled = Запись отменена: { $organisation }, { $when }.
int-offer-answered-requested = Спасибо! Место за вами: { $organisation }, { $when }. Запись ждёт подтверждения площадки или наставника.
int-offer-answered-confirmed = Спасибо! Запись подтверждена: { $organisation }, { $when }.
int-offer-answered-cancelled = Вы отказались от места: { $organisation }, { $when }.

# Errors.
int-no-season = Набор ещё не открыт: слотов для записи пока нет.
int-slot-unknown = Такой слот не найден.
int-booking-unknown = Такая запись не найдена.
int-slot-closed = Запись на этот слот закрыта.
int-already-booked = Вы уже записаны на этот слот (запись { $status }).
int-overlap = У вас уже есть запись на это время: { $organisation }, { $when }. Отмените её в /bookings, чтобы записаться сюда.
int-cancel-too-late = Отменить запись можно не позже чем за { $hours } ч до начала. Если не сможете прийти, сообщите наставнику.
int-booking-not-active = Эта запись уже не действует.
int-offer-expired = Время на подтверждение этого места истекло.
int-offer-gone = Это предложение уже не действует.
int-already-decided = По этой записи уже есть решение (запись { $status }).
int-attendance-early = Отметить посещение можно, когда слот начнётся.
int-attendance-done = Посещение по этой записи уже отмечено.

# Notifications.
int-request-notice = Новая запись: { $student } — { $kind } в «{ $organisation }», { $when }. Подтвердите или отклоните.
int-btn-confirm = Подтвердить
int-btn-decline = Отклонить
int-btn-confirm-who = Подтвердить: { $student }
int-btn-decline-who = Отклонить: { $student }
int-decided-confirmed = Запись подтверждена: { $student }, { $when }.
int-decided-declined = Запись отклонена: { $student }, { $when }.
int-confirmed-notice = Ваша запись подтверждена: { $organisation }, { $address }, { $when }. Она добавлена в ваш ИУП, бот напомнит о ней заранее (не ночью). Сдавать по ней ничего не нужно: задача будет выполнена, когда площадка отметит, что вы пришли.
int-ics-caption = Добавьте стажировку в календарь телефона: откройте этот файл.
int-declined-notice = К сожалению, запись отклонена: { $organisation }, { $when }. Выберите другой слот: /internships
int-offer-notice = Освободилось место: { $organisation }, { $when }. Подтвердите участие до { $until }, иначе место получит следующий в листе ожидания.
int-btn-accept = Подтвердить участие
int-btn-refuse = Отказаться
int-offer-expired-notice = Время на подтверждение места истекло: { $organisation }, { $when }. Место предложено следующему в листе ожидания.
int-cancelled-contact = { $student } отменил(а) подтверждённую запись на { $when }.
int-attendance-ask = Слот «{ $organisation }», { $when }, завершён. Отметьте, кто пришёл:
int-btn-attended = ✅ { $student }
int-btn-no-show = ❌ { $student }
int-marked-attended = Отмечено: { $student } — посещено.
int-marked-no_show = Отмечено: { $student } — не пришёл(ла).
int-marked-none = Отмечено.

# The ИУП task and reminders.
int-task-title-internship = Стажировка: { $organisation }
int-task-title-professional_trial = Профпроба: { $organisation }
int-task-description = Адрес: { $address }. Время: { $when }.
# $left is the real time left until the start, computed when the reminder is sent.
reminder-start-1d = Напоминание: через { $left } — «{ $title }», начало { $due }.
reminder-start-2h = Через { $left } — «{ $title }», начало { $due }. Не опаздывайте!

# /slots
slots-title = Слоты вашей площадки:
slots-empty = У вашей площадки пока нет слотов. Добавьте первый.
slots-line =
    { $n }. { $kind }, { $when } — { $status }
       Занято { $taken } из { $capacity }, свободно { $left }; в листе ожидания: { $waitlisted }
slots-btn-open = Слот № { $n }
slots-btn-add = Добавить слот
slots-no-site = Вы ещё не привязаны к площадке. Откройте ссылку-приглашение площадки от проектного офиса.
slot-status-open = открыт
slot-status-closed = закрыт для записи
slot-status-ended = завершён
slot-card-bookings = Записи:
slot-card-booking = • { $student }: { $status }
slot-btn-capacity = Изменить число мест
slot-btn-close = Закрыть запись
slot-btn-close-sure = Да, закрыть
slot-btn-back = Назад
slot-btn-list = Все слоты
slot-btn-cancel = Отмена
slot-btn-skip = Пропустить
slot-btn-save = Сохранить слот
slot-capacity-ask = Сколько мест будет в слоте? Пришлите число (сейчас занято { $taken }).
slot-capacity-set = Готово: мест { $capacity }, свободно { $left }.
slot-close-ask = Закрыть запись на слот { $when }? Уже записанные останутся.
slot-closed = Запись на слот { $when } закрыта.
slot-already-closed = Запись на этот слот уже закрыта.
slot-capacity-format = Пришлите число мест цифрами, например 5.
slot-capacity-range = Число мест — от 1 до { $max }.
slot-capacity-below-taken = Мест не может быть меньше, чем уже занято: { $taken }.
slot-draft-stale = Этот шаг уже неактуален. Начните заново: /slots
slot-text-expected = Пришлите ответ текстом или нажмите «Назад».
slot-ask-site = Для какой площадки слот?
slot-ask-kind = Площадка «{ $site }». Что это за слот?
slot-ask-start = Когда начало? Пришлите дату и время по местному времени: ДД.ММ.ГГГГ ЧЧ:ММ, например 15.12.2026 10:00.
slot-ask-end = Начало { $start }. Когда окончание? Пришлите время ЧЧ:ММ (в тот же день) или дату и время ДД.ММ.ГГГГ ЧЧ:ММ.
slot-ask-capacity = Сколько обучающихся можно принять? Пришлите число.
slot-ask-reqs = Есть ли требования к участникам (возраст, одежда, документы)? Пришлите текстом или нажмите «Пропустить».
slot-ask-dirs = Каким направлениям или проектным идеям подходит слот? Перечислите через запятую или нажмите «Пропустить» (тогда — направление площадки).
slot-start-format = Не понял дату. Пришлите в виде ДД.ММ.ГГГГ ЧЧ:ММ, например 15.12.2026 10:00.
slot-date-invalid = Такой даты или времени нет. Проверьте день, месяц и часы.
slot-start-past = Это время уже прошло. Пришлите дату в будущем.
slot-start-far = Слишком далеко: слоты открывают не больше чем на год вперёд.
slot-time-invalid = Такого времени нет: часы от 0 до 23, минуты от 0 до 59.
slot-end-format = Не понял время окончания. Пришлите ЧЧ:ММ, например 14:00, или ДД.ММ.ГГГГ ЧЧ:ММ.
slot-end-before-start = Окончание должно быть позже начала ({ $start }).
slot-too-long = Слот не может длиться дольше месяца.
slot-reqs-long = Требования слишком длинные: не больше 1000 символов.
slot-dirs-invalid = Перечислите от 1 до 10 направлений через запятую, каждое не длиннее 100 символов.
slot-expect-site = Выберите площадку кнопкой.
slot-expect-kind = Выберите вид слота кнопкой.
slot-expect-confirm = Проверьте слот и нажмите «Сохранить слот» или «Назад».
slot-exists = Такой слот уже есть: то же время и тот же вид.
slot-none = —
slot-dirs-site = направление площадки
slot-confirm =
    Проверьте слот:
    Площадка: { $site }
    Вид: { $kind }
    Время: { $when }
    Мест: { $capacity }
    Требования: { $requirements }
    Направления: { $directions }
slot-created = Слот добавлен: { $when }, мест: { $capacity }. Обучающиеся уже могут записаться.
slot-add-cancelled = Добавление слота отменено.

# The sites import (CLI).
sites-file-unreadable = Не удалось прочитать файл: { $error }
