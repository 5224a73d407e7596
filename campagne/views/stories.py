"""Campaign views: stories ."""

urlpatterns: list = []
