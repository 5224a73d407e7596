"""The GIN index behind the gallery's Dutch full-text search: PostgreSQL only (SQLite searches plainly)."""

from django.db import migrations

INDEX = "campagne_story_search_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON campagne_story USING gin (search_vector)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("campagne", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
