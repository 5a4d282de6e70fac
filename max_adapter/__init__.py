"""The MAX adapter of the dialogs (issue 12): the same dialogs the Telegram adapter
(handlers/telegram.py) carries, over maxapi. `dispatch.MaxAdapter` takes MAX's updates to the
dialogs, `chat.MaxChat` draws their screens, `cursor` keeps where each person stands and
`inputs` turns a MAX message into what the questionnaire reads. No aiogram here."""
