## The start and end surveys: whether youth stay in the region
cmd-survey_send = Опрос «Остаются ли в регионе»: разослать (start|end)
cmd-survey_shift = Опрос: сдвиг между началом и концом сезона
survey-not-allowed = Этот опрос не для вас.
survey-no-season = Текущий набор не найден.
survey-closed = Этот опрос сейчас не открыт.
survey-send-usage = Напишите: /survey_send start — опрос при зачислении, /survey_send end — в конце сезона.
survey-sent = Опрос разослан: { $count } сообщ.

survey-invite = { $wave ->
        [end] Сезон подходит к концу. Ответьте, пожалуйста, ещё раз на несколько коротких вопросов.
       *[other] Ответьте, пожалуйста, на несколько коротких вопросов в начале сезона. В конце сезона мы зададим те же, чтобы увидеть, что изменилось.
    }
    Зачем: программа «Кадры будущего» хочет понять, помогает ли она молодым людям связать будущее с регионом. Ответы смотрят только вместе, по группам не меньше пяти человек — узнать по ним никого нельзя.
    Опрос необязательный: можно пропустить его целиком или любой вопрос.
survey-begin = Начать
survey-skip = Пропустить опрос
survey-skip-question = Пропустить вопрос
survey-skipped = Хорошо, опрос пропущен. Спасибо!
survey-done = Спасибо! Ваши ответы записаны.
survey-progress = Вопрос { $n } из { $total }

survey-q-study = Планируете ли вы продолжать учёбу в регионе?
survey-q-work = Планируете ли вы работать в регионе?
survey-q-future = Связываете ли вы своё будущее с регионом?
survey-q-prof = Какие профессии вам интересны?
survey-scale-hint = 1 — точно нет, 5 — точно да.
survey-scale-1 = 1
survey-scale-2 = 2
survey-scale-3 = 3
survey-scale-4 = 4
survey-scale-5 = 5
survey-choice-it = IT
survey-choice-eng = Инженерия
survey-choice-med = Медицина
survey-choice-edu = Образование
survey-choice-agro = Сельское хозяйство
survey-choice-sci = Наука
survey-choice-art = Творчество
survey-choice-other = Другое

survey-shift-title = Сдвиг между опросами: { $season }
survey-shift-about = Среднее изменение (конец − начало) по шкале 1–5, у ответивших в обоих опросах: { $count }. Группы меньше { $min } человек скрыты (—).
survey-shift-none = Пока никто не ответил на оба опроса.
survey-shift-line = { $name }: { $values }
survey-shift-hidden = { $name }: —
survey-shift-values = учёба { $study }, работа { $work }, будущее { $future } (ответили: { $count })
survey-shift-files = График и таблица придут следующими сообщениями.
survey-shift-chart = Сдвиг между опросами
survey-shift-empty = нет данных
survey-hidden-note = —, меньше { $min }
survey-kind-municipality = По муниципалитетам
survey-kind-idea = По идеям
survey-kind-role = По ролям
survey-short-study = учёба
survey-short-work = работа
survey-short-future = будущее
survey-col-kind = Разрез
survey-col-group = Группа
survey-col-respondents = Ответили в обоих
survey-role-student = Школьники
survey-role-tutor = Тьюторы
survey-role-office = Офис
survey-role-mentor = Наставники
survey-role-site_contact = Площадки
mydata-section-survey = Ваши ответы на опрос «Остаются ли в регионе»
