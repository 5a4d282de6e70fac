# Certificates and the talent reserve (services/certificates.py, services/reserve.py).
cmd-certificates = Выдать сертификаты завершившим сезон
cmd-certificate = Мой сертификат (PDF)
cmd-verify = Проверить сертификат по коду
cmd-coursework = Отметить защиту как курсовую
cmd-nominate = Выдвинуть в кадровый резерв
cmd-reserve_export = Кадровый резерв для партнёров (XLSX)
cmd-reserve_leave = Отозвать согласие на кадровый резерв

cert-not-allowed = Это может только проектный офис.
cert-no-season = Текущий сезон не найден.
cert-none-for-person = У этого участника нет сертификата.
cert-issued = Выдано сертификатов: { $issued }. Уже были выданы раньше: { $already }.
    Сертификат получает каждый, у кого заявка принята и кто состоит в команде сезона.
cert-issued-waiting = Несовершеннолетних среди получателей: { $waiting } — им сертификат придёт утром, после тихих часов.
cert-mine-none = У вас пока нет сертификата: его выдаёт проектный офис после завершения сезона.
cert-mine-sent = Сертификатов отправлено: { $count }.
cert-pdf-title = Сертификат участника программы «Кадры будущего»
cert-pdf-code = Код проверки: { $code }
cert-caption = Ваш сертификат. Код проверки: { $code } (проверить: /verify { $code })
cert-line-season = Сезон: { $season }
cert-line-team = Команда: { $team }
cert-line-project = Проект: { $project }
cert-line-role = Роль: { $role }
cert-line-result = Результат: сезон пройден
cert-line-defence = Результат: сезон пройден, { $place } место из { $of } на публичной защите проектов
cert-coursework = Защита проекта может быть засчитана как курсовая работа
cert-verify-usage = Напишите код с сертификата: /verify XXXX-XXXX-XX
cert-verify-not-found = Сертификат с таким кодом не найден.
cert-verify-ok = Сертификат подлинный.
    Участник: { $name }
    Сезон: { $season }
    Команда: { $team }
    Проект: { $project }
    Роль: { $role }
cert-verify-coursework = Защита проекта может быть засчитана как курсовая работа.
cert-coursework-usage = Напишите: /coursework <номер участника> да|нет
cert-coursework-set = Отметка «курсовая работа» поставлена.
cert-coursework-unset = Отметка «курсовая работа» снята.
cert-coursework-same = Так уже и было.

reserve-not-allowed = Выдвигать может наставник (участников своей команды) или проектный офис.
reserve-no-season = Текущий сезон не найден.
reserve-no-person = Такого участника нет.
reserve-reason-needed = Напишите причину: /nominate <номер участника> <причина>
reserve-usage = Напишите: /nominate <номер участника> <причина>
reserve-already = Этот участник уже выдвинут в резерв.
reserve-nominated = Участник выдвинут. Мы спросили его согласие показывать профиль партнёрам.
reserve-ask = Вас выдвинули в кадровый резерв программы «Кадры будущего».
    Причина: { $reason }
    Если вы согласны, ваш профиль (имя, команда, роль, причина выдвижения) увидят организации-партнёры программы. Без вашего согласия вас не включат в список. Отозвать согласие можно командой /reserve_leave.
reserve-btn-agree = Согласен
reserve-btn-refuse = Не согласен
reserve-agreed = Спасибо! Вы в кадровом резерве. Отозвать согласие: /reserve_leave
reserve-refused = Хорошо, вас не включат в список для партнёров.
reserve-answered = Ответ уже записан.
reserve-not-yours = Это предложение адресовано не вам.
reserve-left = Согласие отозвано: вас больше нет в списке для партнёров.
reserve-left-none = Вы не состоите в кадровом резерве.
reserve-export-sent = Файл кадрового резерва отправлен.
reserve-caption = Кадровый резерв (только с согласием): { $rows }
reserve-sheet = Кадровый резерв
reserve-col-name = ФИО
reserve-col-team = Команда
reserve-col-role = Роль
reserve-col-reason = Причина выдвижения
reserve-col-consent = Согласие дано
