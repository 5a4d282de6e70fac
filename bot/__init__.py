"""The composition root: settings, Bot, Dispatcher, middlewares, the sender, entry points."""
