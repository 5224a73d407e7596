"""The portal speaks Dutch, whatever the browser asks for, until a person chooses English."""


def test_dutch_even_for_a_browser_set_to_english(client, db):
    response = client.get("/aanmelden/", headers={"Accept-Language": "en-US,en;q=0.9"})

    assert response.headers["Content-Language"] == "nl"
    assert "Je contactgegevens" in response.content.decode()


def test_english_after_choosing_it_in_the_language_menu(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/aanmelden/"}, follow=True)

    assert response.headers["Content-Language"] == "en"
    assert "Your contact details" in response.content.decode()


def test_an_unknown_language_in_the_cookie_falls_back_to_dutch(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"

    assert client.get("/aanmelden/").headers["Content-Language"] == "nl"
