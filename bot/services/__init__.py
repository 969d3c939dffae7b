"""Domain services: rules and decisions in plain Python (no aiogram here)."""
