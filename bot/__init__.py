"""Nastavnik: a Telegram bot for a kindergarten's mentoring system."""
