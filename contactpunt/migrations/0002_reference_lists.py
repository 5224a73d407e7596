"""The reference lists every contact point starts with; administrators keep them afterwards."""

from django.db import migrations

BRANCHES = [
    ("vvt", "VVT / ouderenzorg"),
    ("gehandicaptenzorg", "Gehandicaptenzorg"),
    ("ggz", "GGZ"),
    ("ziekenhuis", "Ziekenhuis"),
    ("jeugdzorg", "Jeugdzorg"),
    ("kinderopvang", "Kinderopvang"),
    ("welzijn", "Welzijn / sociaal werk"),
    ("thuiszorg", "Thuiszorg"),
    ("huisartsenzorg", "Huisartsenzorg"),
]

FUNCTIONS = [
    ("helpende", "Helpende zorg en welzijn"),
    ("vig", "Verzorgende IG (VIG)"),
    ("verpleegkundige-mbo", "Verpleegkundige (mbo)"),
    ("verpleegkundige-hbo", "Verpleegkundige (hbo)"),
    ("zorgassistent", "Zorgassistent"),
    ("woonhulp", "Woonhulp / huishoudelijke hulp"),
    ("welzijnsassistent", "Welzijnsassistent"),
    ("begeleider", "Begeleider"),
    ("mz", "Medewerker maatschappelijke zorg (MZ)"),
    ("pedagogisch-medewerker", "Pedagogisch medewerker"),
    ("sociaal-werker", "Sociaal werker"),
    ("doktersassistent", "Doktersassistent"),
    ("ondersteunend", "Facilitair of ondersteunend medewerker"),
]

NEXT_STEPS = [
    ("meeloopdag", "Meeloopdag"),
    ("open-huis", "Open huis"),
    ("speeddate", "Speeddate"),
    ("informatiebijeenkomst", "Informatiebijeenkomst"),
    ("bbl", "BBL / werken en leren"),
    ("opleiding", "Opleiding"),
    ("vacature", "Vacature"),
    ("sterk-in-je-werk", "Sterk in je Werk / loopbaangesprek"),
]

TARGET_GROUPS = [
    ("scholier", "Scholier"),
    ("zij-instromer", "Zij-instromer (overstap uit een andere sector)"),
    ("herintreder", "Herintreder"),
    ("oudere-werkzoekende", "55-plusser of gepensioneerd"),
    ("uitkering", "Met een uitkering"),
    ("statushouder", "Statushouder"),
    ("praktijkonderwijs-vso", "Schoolverlater praktijkonderwijs of vso"),
    ("buitenlands-diploma", "Buitenlands of verouderd diploma"),
    ("aangepaste-werkplek", "Heeft een aangepaste werkplek nodig"),
]


def load(apps, schema_editor):
    for model_name, items in [
        ("Branch", BRANCHES),
        ("Function", FUNCTIONS),
        ("NextStep", NEXT_STEPS),
        ("TargetGroup", TARGET_GROUPS),
    ]:
        model = apps.get_model("contactpunt", model_name)
        for position, (slug, name) in enumerate(items):
            model.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("contactpunt", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
