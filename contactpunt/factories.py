import factory
from factory.django import DjangoModelFactory

from .models import LabourMarketRegion, Municipality, Notification, PostcodeArea, Region, RegionPostcodeRange, User


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Regio {n}")
    slug = factory.Sequence(lambda n: f"regio-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.slug}@contactpunt.example")


class RegionPostcodeRangeFactory(DjangoModelFactory):
    class Meta:
        model = RegionPostcodeRange

    region = factory.SubFactory(RegionFactory)
    start = "9000"
    end = "9999"


class LabourMarketRegionFactory(DjangoModelFactory):
    class Meta:
        model = LabourMarketRegion
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"AM{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Arbeidsmarktregio {n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{n % 10000:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    province = "Groningen"
    labour_market_region = factory.SubFactory(LabourMarketRegionFactory)


class PostcodeAreaFactory(DjangoModelFactory):
    class Meta:
        model = PostcodeArea
        django_get_or_create = ["pc4"]

    pc4 = factory.Sequence(lambda n: f"{1000 + n % 9000}")
    latitude = 53.2
    longitude = 6.56
    place_names = "Groningen"
    municipality = factory.SubFactory(MunicipalityFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@contactpunt.example")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    role = User.Role.COORDINATOR
    password = factory.django.Password("een-lang-wachtwoord-42")

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class CoordinatorFactory(UserFactory):
    role = User.Role.COORDINATOR


class EmployerUserFactory(UserFactory):
    role = User.Role.EMPLOYER


class AdministratorFactory(UserFactory):
    role = User.Role.ADMINISTRATOR
    is_staff = True
    is_superuser = True


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(CoordinatorFactory)
    kind = "new_candidate"
    title = factory.Sequence(lambda n: f"Nieuwe kandidaat in Noord-Nederland: Kandidaat {n} uit Groningen")
    url = "/dashboard/"
