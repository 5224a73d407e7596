"""Campaign URLs: the public gallery at /verhalen/, stories and posters in the employer portal
(/werkgever/) and on the dashboard (/dashboard/), campaign materials. Each views module keeps its own
`urlpatterns`."""

from .views import gallery, materials, posters, stories

app_name = "campagne"

urlpatterns = gallery.urlpatterns + stories.urlpatterns + posters.urlpatterns + materials.urlpatterns
