"""Password rules with their texts in our own catalogue.

Django 5.2 reworded the "too short" message and its Dutch catalogue has only the old wording, so the
message is repeated here (same msgid) to give it Dutch.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )
