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


def _schema(client, user):
    client.force_login(user)
    return yaml.safe_load(client.get(reverse("api-schema")).content)


def test_schema_documents_the_error_answers_of_every_operation(client, world):
    schema = _schema(client, world.commune_officer)
    households, household = schema["paths"]["/api/v1/households/"], schema["paths"]["/api/v1/households/{id}/"]

    assert {"400", "401", "403", "404"} <= set(households["get"]["responses"])  # a filter refused; no such page
    assert {"400", "401", "403"} <= set(households["post"]["responses"])
    assert {"401", "403", "404"} <= set(household["get"]["responses"])
    assert "400" in household["patch"]["responses"]
    not_found = household["get"]["responses"]["404"]["content"]["application/json"]["schema"]["$ref"]
    assert schema["components"]["schemas"][not_found.rsplit("/", 1)[1]]["required"] == ["detail"]
    assert household["get"]["responses"]["404"]["description"].startswith("Không tìm thấy")  # in the reader's language
    every = [operation for operations in schema["paths"].values() for operation in operations.values()]
    assert all({"401", "403"} <= set(operation["responses"]) for operation in every)


def test_schema_states_the_limits_of_the_filters(client, world):
    paths = _schema(client, world.commune_officer)["paths"]

    def parameter(path, name):
        return next(p["schema"] for p in paths[path]["get"]["parameters"] if p["name"] == name)

    year = {"type": "integer", "minimum": 2000, "maximum": 2100}
    assert parameter("/api/v1/households/", "year") == year
    assert parameter("/api/v1/housing/programmes/", "year") == year
    assert parameter("/api/v1/households/", "has_pupil") == {"type": "boolean"}
    assert parameter("/api/v1/housing/cases/", "household") == {"type": "integer"}
    assert parameter("/api/v1/units/", "parent") == {"type": "integer"}


def test_an_api_url_that_names_no_operation_answers_404_in_json(client, world):
    client.force_login(world.commune_officer)
    for url in ("/api/v1/households/1.5/", "/api/v1/households/abc/statuses/", "/api/v1/nothing/"):
        response = client.get(url)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", url
        assert set(response.json()) == {"detail"}
    client.logout()
    assert client.get("/api/v1/households/1.5/").status_code == 401  # says nothing to strangers


def test_a_user_without_unit_has_a_null_unit_name_as_the_schema_says(client, world):
    schema = _schema(client, world.administrator)
    assert schema["components"]["schemas"]["User"]["properties"]["unit_name"]["nullable"] is True
    assert client.get(f"/api/v1/users/{world.administrator.pk}/").json()["unit_name"] is None
