"""The OpenAPI schema is valid and describes every operation; the documentation page is drawn from it."""

import pytest
import yaml
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3_with_every_operation(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    operations = {operation["operationId"] for path in schema["paths"].values() for operation in path.values()}
    assert operations == {"handoff_create", "handoff_status", "activity_list"}
    assert schema["components"]["securitySchemes"]["partnerKey"]["scheme"] == "bearer"
    create = schema["paths"]["/api/v1/aanmeldingen/"]["post"]
    assert {"201", "400", "401", "403", "409", "429"} <= set(create["responses"])


def test_the_documentation_page_lists_the_operations_and_the_fields(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/api/v1/aanmeldingen/" in page and "/api/v1/activiteiten/" in page
    assert "<code>conversation_notes</code>" in page
    assert "Idempotency-Key" in page
    assert "<script>" not in page
