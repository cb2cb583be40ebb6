"""The OpenAPI schema documents every endpoint, and the docs page is served from our host."""

import yaml
from django.urls import reverse


def test_schema_documents_units_and_users(client, world):
    client.force_login(world.commune_officer)
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/units/", "/api/v1/units/{id}/", "/api/v1/users/", "/api/v1/users/{id}/"} <= set(schema["paths"])
    unit_filters = {p["name"] for p in schema["paths"]["/api/v1/units/"]["get"]["parameters"]}
    assert {"name", "level", "era", "code", "parent", "province", "district"} <= unit_filters


def test_docs_page_loads_swagger_from_our_own_static_files(client, world):
    client.force_login(world.commune_officer)
    body = client.get(reverse("api-docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
