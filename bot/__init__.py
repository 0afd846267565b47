"""Care Clock's Rasa side. Importing it applies the guarded fixes to Rasa (bot/patches)."""

from bot.patches import apply_all

apply_all()
