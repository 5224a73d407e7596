"""`python manage.py demo_code`: the code an authenticator app with the demo key shows now.

For trying the portal without an app: the demo coordinators and the demo administrator share the
public demo key (contactpunt.demo.DEMO_TOTP_SECRET). It prints nothing for any other key.
"""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext
from django_otp.oath import TOTP

from contactpunt.demo import demo_totp_key


class Command(BaseCommand):
    help = "Print the current two-step verification code of the demo accounts (demo key only)."

    def handle(self, *args, **options) -> None:
        totp = TOTP(bytes.fromhex(demo_totp_key()))
        now = time.time()
        totp.time = now
        seconds_left = 30 - int(now) % 30
        self.stdout.write(f"{totp.token():06d}")
        self.stderr.write(
            ngettext(
                "Valid for %(seconds)d more second, for every demo coordinator and the demo administrator.",
                "Valid for %(seconds)d more seconds, for every demo coordinator and the demo administrator.",
                seconds_left,
            )
            % {"seconds": seconds_left}
        )
