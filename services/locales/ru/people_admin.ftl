## The office's /invite, /people and /upload (dialogs/people_admin.py)
cmd-invite = Ссылка-приглашение для сотрудника
cmd-people = Найти человека и его роли
cmd-upload = Загрузить файл сезона или площадок

pa-invite-pick-role = Кого пригласить? Выберите роль — бот пришлёт одноразовую ссылку.
pa-invite-bad-role = Такой роли для приглашения нет. Можно пригласить: mentor (наставник), site_contact (представитель площадки), office (сотрудник офиса). Например: /invite mentor
pa-invite-season = , набор { $season }
pa-invite-link = Одноразовая ссылка-приглашение: { $role }{ $season }.
    { $link }
    Действует до { $expires }. Первый, кто её откроет, получит роль. Перешлите ссылку нужному человеку; неиспользованную можно отозвать здесь или в /access.
pa-btn-revoke-link = Отозвать эту ссылку

pa-people-usage = Напишите, кого найти: /people Фамилия или часть имени, /people TOMSK-2026-00001 (номер заявки) или /people @username.
pa-people-too-short = Для поиска по имени нужно хотя бы { $min } буквы.
pa-people-title = Поиск «{ $query }»: найдено { $total }.
pa-people-line = { $n }. { $name }
pa-people-no-name = без имени (№ { $id })
pa-people-roles = Роли: { $roles }
pa-people-role-season = { $role } (набор { $season })
pa-people-no-roles = Ролей нет.
pa-people-application = Заявка { $number }: { $status }, набор { $season }, роль: { $role }
pa-people-draft = черновик №{ $id }
pa-people-more = Показаны первые { $shown } — уточните запрос.
pa-people-none-name = Никого с именем, похожим на «{ $query }», не нашлось. Имя известно боту только у сотрудников и у тех, кто дал согласие в анкете.
pa-people-none-number = Заявки с номером { $query } нет.
pa-people-none-username = Никого с именем пользователя { $query } нет.
pa-btn-revoke-role = ✖ { $n }. { $name }: { $role }

pa-status-draft = черновик
pa-status-submitted = подана
pa-status-in_review = на рассмотрении
pa-status-withdrawn = отозвана
pa-status-accepted = принята
pa-status-waitlisted = в листе ожидания
pa-status-not_selected = не прошла отбор

pa-upload-prompt = Пришлите файл сезона (как examples/season.yaml) или файл площадок (со списком sites:) документом в формате YAML, до 1 МБ. Бот проверит его так же, как python -m bot season import / sites import, и покажет, что изменится; применится файл только после подтверждения. Отмена — /cancel.
pa-upload-send-document = Пришлите файл документом (.yaml или .yml). Отмена — /cancel.
pa-upload-too-big = Файл больше { $max } КБ — это не похоже на файл сезона или площадок.
pa-upload-not-utf8 = файл целиком: это не текст в кодировке UTF-8
pa-upload-stale = Это подтверждение устарело: пришлите файл ещё раз (/upload).
pa-upload-errors-season = В файле сезона ошибок: { $count }.
pa-upload-errors-sites = В файле площадок ошибок: { $count }.
pa-upload-errors-more = …и ещё { $count }.
pa-upload-nothing-changed = Ничего не изменено. Исправьте файл и пришлите его снова.
pa-upload-valid-season = Файл сезона проверен, ошибок нет.
pa-upload-valid-sites = Файл площадок проверен, ошибок нет.
pa-upload-season-new = Будет создан набор { $season }.
pa-upload-season-update = Будет обновлён набор { $season }.
pa-upload-section = { $section }: добавится { $added }, изменится { $changed }, уберётся { $removed }, без изменений { $kept }
pa-section-municipalities = Муниципалитеты
pa-section-directions = Направления
pa-section-ideas = Идеи проектов
pa-section-questions = Вопросы анкеты
pa-section-criteria = Критерии оценки
pa-upload-sites-summary = Площадок: новых { $sites_new }, обновится { $sites_updated }. Слотов: новых { $slots_new }, обновится { $slots_updated }.
pa-upload-confirm = Применить?
pa-btn-apply = Применить
pa-btn-cancel = Отмена
pa-upload-cancelled = Загрузка отменена, ничего не изменено.
pa-upload-applied-notice = Применено.
pa-upload-applied-season = Файл сезона применён.
pa-upload-applied-sites = Файл площадок применён.
pa-upload-links-season = Ссылки наставников идей (первый, кто откроет ссылку, станет наставником идеи):
pa-upload-links-sites = Ссылки представителей площадок:
pa-upload-link-used = уже использована
