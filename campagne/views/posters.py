"""Campaign views: posters ."""

urlpatterns: list = []
