## The office's /access: open invitation links and staff roles, and revoking them
cmd-access = Доступ: приглашения и роли

access-title = Доступ к боту
access-summary = Неиспользованных ссылок-приглашений: { $invitations }. Сотрудников с ролями: { $grants }.
access-page = Страница { $page } из { $pages }.
access-invitations = Ссылки-приглашения, которые ещё никто не открыл:
access-grants = Сотрудники с ролями:
access-invitation-line = { $n }. { $role }{ $what } — действует до { $expires }
access-invitation-forever = бессрочно
access-invitation-idea = , идея «{ $idea }»
access-invitation-label = , «{ $label }»
access-grant-line = { $n }. { $name } — { $role }{ $season }{ $ideas }
access-grant-season = , набор { $season }
access-grant-ideas = , идеи: { $ideas }
access-grant-no-name = без имени, Telegram id { $tg_id }
access-grant-note-settings = (назначен в настройках OFFICE_ADMIN_IDS — снять можно только там)
access-grant-note-me = (это вы)
access-hint = Отозвать — кнопкой с номером. Новая ссылка — /invite РОЛЬ (или python -m bot invite РОЛЬ); ссылка наставника идеи — повторным python -m bot season import.
access-empty = Открытых приглашений и сотрудников с ролями нет.

access-btn-revoke-invitation = ✖ { $n }. Ссылка: { $role }
access-btn-revoke-grant = ✖ { $n }. { $name }: { $role }
access-btn-prev = ◀ Назад
access-btn-next = Дальше ▶
access-btn-confirm-invitation = Да, отозвать ссылку
access-btn-confirm-grant = Да, отозвать роль
access-btn-back = Отмена

access-confirm-invitation = Отозвать ссылку-приглашение ({ $role }{ $what }, действует до { $expires })? Тот, у кого она есть, больше не сможет ею воспользоваться.
access-confirm-grant = Отозвать роль «{ $role }»{ $season } у { $name }? Доступ пропадёт сразу, команды роли исчезнут из меню, человек получит уведомление.
access-confirm-grant-mentor = Заявки на идеи этого наставника больше не будут ему приходить; чтобы выдать идее новую ссылку, загрузите набор ещё раз (python -m bot season import). Состав команд не меняется: убрать из команды — python -m bot team remove.
access-confirm-grant-site = Площадка останется без представителя; новую ссылку для неё выдаст python -m bot sites import.

access-invitation-revoked = Ссылка отозвана.
access-role-revoked = Роль отозвана.
access-already-revoked = Это уже отозвано.
access-invitation-used = Эту ссылку уже открыли: отзовите роль у того, кто ею воспользовался.

access-invitation-gone = Эта ссылка уже неактуальна: её открыли, отозвали или срок её действия истёк.
access-role-gone = Этой роли у человека уже нет.
access-role-from-settings = Эта роль офиса назначена в настройках бота (OFFICE_ADMIN_IDS) и возвращается при каждом сообщении: в боте её не отозвать. Уберите человека из OFFICE_ADMIN_IDS и перезапустите бота.
access-own-office-role = Свою роль проектного офиса отозвать нельзя: попросите об этом другого сотрудника офиса.
access-invitation-unknown = Приглашение с таким кодом не найдено.
access-person-unknown = Человек с Telegram id { $tg_id } ещё не писал боту.

access-your-role-revoked = Проектный офис отозвал вашу роль «{ $role }». Команды этой роли больше недоступны. Если это ошибка, обратитесь в региональный проектный офис программы.
