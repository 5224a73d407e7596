"""Campaign views: gallery ."""

urlpatterns: list = []
