"""Accounts: log in with an e-mail address, log out with POST, reset a password by e-mail, a menu per role."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client

from contactpunt.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-42"  # what the user factories set


class _MenuLinks(HTMLParser):
    """(text, href) of every link in the page header."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._in_header = False
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "header":
            self._in_header = True
        elif tag == "a" and self._in_header:
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_endtag(self, tag):
        if tag == "header":
            self._in_header = False
        elif tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._text).split()), self._href))
            self._href = None

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)


def menu(client: Client) -> dict[str, str]:
    response = client.get("/")
    assert response.status_code == 200
    parser = _MenuLinks()
    parser.feed(response.content.decode())
    return dict(parser.links)


def test_the_login_page_asks_for_an_e_mail_address_in_dutch(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"
    content = response.content.decode()
    assert "<h1>Inloggen</h1>" in content
    assert re.search(r'<label\s+for="id_username"[^>]*>\s*E-mailadres', content)
    assert 'autocomplete="username"' in content
    assert "Wachtwoord vergeten?" in content


def test_a_coordinator_logs_in_with_their_e_mail_address(client, coordinator_a):
    response = client.post("/accounts/login/", {"username": "coordinator.a@contactpunt.example", "password": PASSWORD})

    # Logged in with the password; the code step comes next (tests/test_two_factor.py).
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/tweestapsverificatie/instellen/?next=%2Fstart%2F"
    assert client.session["_auth_user_id"] == str(coordinator_a.pk)


def test_an_employer_logs_in_with_their_e_mail_address(client, employer_a):
    response = client.post("/accounts/login/", {"username": "werkgever.a@zorg.example", "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/start/"
    assert client.session["_auth_user_id"] == str(employer_a.pk)
    assert client.get("/start/").headers["Location"] == "/werkgever/"


def test_the_e_mail_address_is_not_case_sensitive_at_login(client, coordinator_a):
    response = client.post("/accounts/login/", {"username": " Coordinator.A@Contactpunt.EXAMPLE", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator_a.pk)


def test_an_employer_lands_on_the_employer_portal_after_login(employer_client):
    assert employer_client.get("/start/").headers["Location"] == "/werkgever/"


def test_addresses_are_stored_in_lower_case_whoever_creates_the_account(db):
    user = CoordinatorFactory.build(email="Nieuwe.Collega@Contactpunt.example")
    user.full_clean(exclude=["password"])

    assert user.email == "nieuwe.collega@contactpunt.example"


def test_login_follows_next(client, coordinator_a):
    response = client.post(
        "/accounts/login/?next=/dashboard/",
        {"username": "coordinator.a@contactpunt.example", "password": PASSWORD, "next": "/dashboard/"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/tweestapsverificatie/instellen/?next=%2Fdashboard%2F"


WRONG_LOGIN = "Dit e-mailadres en wachtwoord horen niet bij elkaar. Let op: het wachtwoord is hoofdlettergevoelig."


def test_login_refuses_a_wrong_password_with_a_dutch_error(client, coordinator_a):
    response = client.post("/accounts/login/", {"username": "coordinator.a@contactpunt.example", "password": "fout"})

    assert response.status_code == 200
    content = response.content.decode()
    assert WRONG_LOGIN in content
    # Django's own Dutch was bad and said the e-mail address is case-sensitive too; it is not.
    assert "Voer een juiste" not in content and "beide velden" not in content
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(client, coordinator_a):
    wrong = client.post("/accounts/login/", {"username": "coordinator.a@contactpunt.example", "password": "fout"})
    unknown = client.post("/accounts/login/", {"username": "niemand@contactpunt.example", "password": "fout"})

    assert unknown.status_code == wrong.status_code == 200
    assert WRONG_LOGIN in unknown.content.decode()
    assert unknown.context["form"].errors == wrong.context["form"].errors


def test_an_inactive_user_cannot_log_in(client):
    CoordinatorFactory(email="weg@contactpunt.example", is_active=False)

    response = client.post("/accounts/login/", {"username": "weg@contactpunt.example", "password": PASSWORD})

    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client_a):
    assert client_a.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client_a.session

    response = client_a.post("/accounts/logout/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "_auth_user_id" not in client_a.session


@pytest.mark.parametrize("persona", ["client_a", "employer_client", "administrator_client"])
def test_after_logging_out_the_home_page_says_so(request, persona):
    client = request.getfixturevalue(persona)

    response = client.post("/accounts/logout/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [("/", 302)]
    content = response.content.decode()
    assert content.count("Je bent uitgelogd.") == 1
    assert "Inloggen" in content
    assert "Je bent uitgelogd." not in client.get("/").content.decode()  # said once


def test_logging_out_without_a_login_says_nothing(client):
    response = client.post("/accounts/logout/", follow=True)

    assert response.status_code == 200
    assert "uitgelogd" not in response.content.decode()


def test_the_menu_has_a_logout_button_that_posts(client_a):
    content = client_a.get("/").content.decode()

    assert re.search(r'<form method="post" action="/accounts/logout/"', content)
    assert ">Uitloggen</button>" in content


def test_password_reset_sends_a_dutch_e_mail_with_a_working_link(client, coordinator_a):
    response = client.post("/accounts/password_reset/", {"email": "coordinator.a@contactpunt.example"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coordinator.a@contactpunt.example"]
    assert message.subject == "Kies een nieuw wachtwoord voor het portaal van het contactpunt"
    assert message.body.startswith("Hallo,")
    link = re.search(r"https?://[^/\s]+(/accounts/reset/[^\s]+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": "nieuw-en-veilig-2026", "new_password2": "nieuw-en-veilig-2026"}
    )
    assert done.status_code == 302

    fresh = Client()
    assert fresh.login(username="coordinator.a@contactpunt.example", password="nieuw-en-veilig-2026")
    assert not fresh.login(username="coordinator.a@contactpunt.example", password=PASSWORD)


def test_password_reset_does_not_tell_whether_an_address_is_known(client):
    response = client.post("/accounts/password_reset/", {"email": "onbekend@example.org"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_a_coordinator_sees_the_inbox_but_not_the_national_queue_or_management(client_a):
    links = menu(client_a)

    assert links["Inbox"] == "/dashboard/"
    assert "Landelijke wachtrij" not in links
    assert "Beheer" not in links
    assert "Inloggen" not in links


def test_an_administrator_also_sees_the_national_queue_and_management(administrator_client):
    links = menu(administrator_client)

    assert links["Inbox"] == "/dashboard/"
    assert links["Landelijke wachtrij"] == "/dashboard/landelijk/"
    assert links["Referentiegegevens en gebruikers"] == "/admin/"


def test_an_employer_sees_no_candidate_menu(employer_client):
    links = menu(employer_client)

    assert "Inbox" not in links
    assert "Landelijke wachtrij" not in links
    assert "Beheer" not in links
    assert "Inloggen" not in links


def test_an_anonymous_visitor_sees_sign_up_and_log_in(client):
    links = menu(client)

    assert links["Aanmelden"] == "/aanmelden/"
    assert links["Inloggen"] == "/accounts/login/"
    assert "Inbox" not in links
    assert "Landelijke wachtrij" not in links
    assert "Beheer" not in links


def test_the_menu_marks_the_current_page_only(client_a, coordinator_a):
    content = client_a.get("/dashboard/aanbod/").content.decode()

    current = re.findall(r'<a class="nav-link active" aria-current="page" href="([^"]+)"', content)
    assert current == ["/dashboard/aanbod/"]
    in_a_dropdown = client_a.get("/dashboard/dubbelen/").content.decode()
    assert re.findall(r'href="([^"]+)" aria-current="page"', in_a_dropdown) == ["/dashboard/dubbelen/"]
