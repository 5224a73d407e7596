"""Password rules with their texts in our own catalogue.

GuessablePasswordValidator adds offline lists of leaked passwords and a guessability estimate.

Django 5.2 reworded the "too short" message and its Dutch catalogue has only the old wording, so the
message is repeated here (same msgid) to give it Dutch.

Django's Dutch for the other rules says "u" ("Uw wachtwoord mag ..."), the portal says "je". Their
texts are repeated here too, with the same msgids: our catalogue (LOCALE_PATHS) comes before Django's,
and a msgid in our code stays in the catalogue when `make translations` drops the ones it cannot find.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext


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

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return gettext("The password is too similar to the %(verbose_name)s.")

    def get_help_text(self) -> str:
        return gettext("Your password can’t be too similar to your other personal information.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return gettext("This password is too common.")

    def get_help_text(self) -> str:
        return gettext("Your password can’t be a commonly used password.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return gettext("This password is entirely numeric.")

    def get_help_text(self) -> str:
        return gettext("Your password can’t be entirely numeric.")


class GuessablePasswordValidator:
    """Offline checks on top of Django's CommonPasswordValidator (20,000 common passwords).

    zxcvbn (PyPI) ships the 30,000 most frequent passwords of Xato's 10-million-password leak and
    lists of words and names; a password in that leaked list, or one zxcvbn estimates easy to guess
    (score below `min_score` of 0-4, e.g. "wachtwoord1234" or a name with a year), is refused.
    No password leaves the server: there is no online lookup.
    """

    # zxcvbn refuses longer input (ValueError) and its matching grows quickly with the length; the
    # first 72 characters of a longer password are what is estimated.
    MAX_CHECKED_LENGTH = 72

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    @staticmethod
    def _leaked() -> frozenset[str]:
        global _LEAKED
        if _LEAKED is None:
            from zxcvbn.frequency_lists import FREQUENCY_LISTS

            _LEAKED = frozenset(FREQUENCY_LISTS["passwords"])
        return _LEAKED

    def validate(self, password: str, user=None) -> None:
        from zxcvbn import zxcvbn

        if password.lower().strip() in self._leaked():
            raise ValidationError(
                gettext("This password appears in lists of leaked passwords."), code="password_leaked"
            )
        hints = []
        if user is not None:
            email = getattr(user, "email", "") or ""
            hints = [value for value in (email, email.split("@")[0], user.first_name, user.last_name) if value]
        result = zxcvbn(password[: self.MAX_CHECKED_LENGTH], user_inputs=hints)
        if result["score"] < self.min_score:
            raise ValidationError(
                gettext("This password is too easy to guess. Use a few unrelated words, for example."),
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return gettext("Your password cannot be a leaked password or one that is easy to guess.")


_LEAKED: frozenset[str] | None = None
