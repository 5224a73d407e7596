"""Signals of the employers' app for changes made with a conditional UPDATE, which sends no post_save."""

from django.dispatch import Signal

# An employer recorded whether a person came to an activity (keyword: registration, its offer loaded).
attendance_recorded = Signal()
