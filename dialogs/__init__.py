"""Conversations in no messenger's terms: each feature's dialog answers a command, a typed
message or a pressed action by drawing screens (dialogs/screen.py); messenger adapters
(handlers/telegram.py, the MAX adapter) carry them to and from the person."""
