"""Campaign views: materials ."""

urlpatterns: list = []
