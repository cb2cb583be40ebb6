"""Scope on every route, for every role. See tests/scope_harness.py for how to declare a route."""

import pytest
from django.urls import reverse

from frontwelfare.accounts.choices import Role

from .scope_harness import ROUTES, SCOPED_MODELS, project_routes, routes_of_kind

VIEWER_ROLES = [Role.COMMUNE_OFFICER, Role.DISTRICT_MEMBER, Role.PROVINCIAL_OFFICER]


def _url(name, world, record=None):
    route = ROUTES[name]
    if record is not None:
        return reverse(name, kwargs={"pk": record.pk, **route.extra_kwargs})
    return reverse(name, kwargs=route.kwargs(world) if route.kwargs else None)


def _request(client, method, url, api):
    if method == "get":
        return client.get(url)
    if api:
        return getattr(client, method)(url, {}, content_type="application/json")
    return getattr(client, method)(url, {})


def _text(route, response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return route.reader(content) if route.reader else content.decode()


def _inside_and_outside(world, route, role):
    """One record the viewer of ``role`` may see and its nearest out-of-scope twin."""
    scoped = SCOPED_MODELS[route.model]
    return scoped, scoped.make(world, world.commune), scoped.make(world, scoped.outside_commune(world, role))


def test_every_route_is_declared():
    undeclared = [p.name for p in project_routes() if p.name not in ROUTES]
    assert not undeclared, (
        "These routes are not declared in tests/scope_harness.py ROUTES, so nobody has shown "
        f"that they respect scope: {undeclared}"
    )


def test_no_declared_route_is_stale():
    existing = {p.name for p in project_routes()}
    assert set(ROUTES) <= existing, f"ROUTES names routes that no longer exist: {set(ROUTES) - existing}"


def test_every_scoped_route_names_a_registered_model():
    for name in routes_of_kind("list", "detail", "action"):
        assert ROUTES[name].model in SCOPED_MODELS, name


@pytest.mark.parametrize("name", routes_of_kind("page", "list", "detail", "action"))
def test_anonymous_visitor_is_sent_to_login_or_refused(client, world, name):
    route = ROUTES[name]
    record = SCOPED_MODELS[route.model].make(world, world.commune) if route.kind in ("detail", "action") else None
    url = _url(name, world, record)
    for method in ("post",) if route.kind == "action" else route.methods:
        response = _request(client, method, url, route.api)
        if route.api:
            assert response.status_code in (401, 403), f"{method.upper()} {url}"
        else:
            assert response.status_code == 302, f"{method.upper()} {url}"
            assert response["Location"].startswith(reverse("login")), f"{method.upper()} {url}"


@pytest.mark.parametrize("role", VIEWER_ROLES)
@pytest.mark.parametrize("name", routes_of_kind("detail"))
def test_record_outside_scope_answers_404_like_a_missing_one(client, world, name, role):
    route = ROUTES[name]
    scoped, inside, outside = _inside_and_outside(world, route, role)
    client.force_login(world.viewer(role))

    seen = client.get(_url(name, world, inside))
    if route.editors is not None and role not in route.editors:
        assert seen.status_code == 403, "an in-scope reader who may not change the record is refused"
    else:
        assert seen.status_code == 200, "the in-scope record must be shown, or this test proves nothing"
        assert scoped.marker(inside) in _text(route, seen)

    for method in route.methods:
        response = _request(client, method, _url(name, world, outside), route.api)
        assert response.status_code == 404, f"{role} {method.upper()} {name}"
        assert scoped.marker(outside) not in response.content.decode()


@pytest.mark.parametrize("role", VIEWER_ROLES)
@pytest.mark.parametrize("name", routes_of_kind("list"))
def test_list_shows_records_in_scope_and_nothing_outside(client, world, name, role):
    route = ROUTES[name]
    scoped, inside, outside = _inside_and_outside(world, route, role)
    client.force_login(world.viewer(role))

    response = client.get(_url(name, world))
    assert response.status_code == 200
    body = _text(route, response)
    assert scoped.marker(inside) in body
    assert scoped.marker(outside) not in body
    if route.api:
        listed = {row["id"] for row in response.json()["results"]}
        assert inside.pk in listed
        assert outside.pk not in listed
        assert response.json()["count"] == len(listed), "the count must not include hidden records"


@pytest.mark.parametrize("role", VIEWER_ROLES)
@pytest.mark.parametrize("name", routes_of_kind("list"))
def test_administrator_lists_every_record(client, world, name, role):
    route = ROUTES[name]
    scoped = SCOPED_MODELS[route.model]
    outside = scoped.make(world, scoped.outside_commune(world, role))
    client.force_login(world.administrator)
    assert scoped.marker(outside) in _text(route, client.get(_url(name, world)))


@pytest.mark.parametrize("role", VIEWER_ROLES)
@pytest.mark.parametrize("name", routes_of_kind("action"))
def test_action_on_record_outside_scope_answers_404_and_changes_nothing(client, world, name, role):
    route = ROUTES[name]
    scoped, inside, outside = _inside_and_outside(world, route, role)
    model = type(outside)
    before = model.objects.filter(pk=outside.pk).values().get()
    client.force_login(world.viewer(role))

    assert client.post(_url(name, world, inside), {}).status_code != 404, "the in-scope record must be reachable"
    response = client.post(_url(name, world, outside), {})
    assert response.status_code == 404, f"{role} POST {name}"
    assert scoped.marker(outside) not in response.content.decode()
    assert model.objects.filter(pk=outside.pk).values().get() == before


@pytest.mark.parametrize("role", VIEWER_ROLES)
def test_admin_refuses_everyone_but_administrators(client, world, role):
    client.force_login(world.viewer(role))
    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist"),
                reverse("admin:accounts_user_change", args=[world.administrator.pk])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_administrator_enters_admin(client, world):
    client.force_login(world.administrator)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
