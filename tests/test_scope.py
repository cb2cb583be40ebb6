"""Scope on every route, for every role. See tests/scope_harness.py for how to declare a route."""

import pytest
from django.urls import reverse

from .scope_harness import (
    COUNTS,
    ROUTES,
    SCOPED_MODELS,
    VIEWER_ROLES,
    options_of,
    project_routes,
    routes_of_kind,
    routes_with,
)


def _url(name, world, record=None):
    route = ROUTES[name]
    if record is not None:
        return reverse(name, kwargs={"pk": record.pk, **route.extra_kwargs})
    return reverse(name, kwargs=route.kwargs(world) if route.kwargs else None)


def _request(client, method, url, api, data=None, multipart=False):
    if method == "get":
        return client.get(url)
    if api and not multipart:
        return getattr(client, method)(url, data or {}, content_type="application/json")
    return getattr(client, method)(url, data or {})


def _text(route, response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return route.reader(content) if route.reader else content.decode()


def _inside_and_outside(world, route, role):
    """One record the viewer of ``role`` may see and its nearest out-of-scope twin."""
    scoped = SCOPED_MODELS[route.model]
    own = {"viewer": world.viewer(role)} if scoped.by_viewer else {}
    return scoped, scoped.make(world, world.commune, **own), scoped.make(world, scoped.outside_commune(world, role))


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
    if route.editors is not None and role not in route.editors:
        assert response.status_code == 403, "a role the list does not serve is refused"
        assert scoped.marker(outside) not in response.content.decode()
        return
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


def test_every_action_declares_the_change_it_makes():
    silent = [name for name in routes_of_kind("action") if ROUTES[name].write is None]
    assert not silent, f"These actions do not say what a valid POST is and how to see its change: {silent}"


def test_every_page_says_what_it_shows_or_why_nothing_scoped():
    counted = {count.route for count in COUNTS}
    silent = [name for name in routes_of_kind("page") if not (
        ROUTES[name].offers or ROUTES[name].finds or name in counted or ROUTES[name].reason)]
    assert not silent, (
        "These pages neither declare the records they show (offers, finds, COUNTS) nor say why "
        f"they show none (reason): {silent}"
    )


def _write(client, world, name, record):
    write = ROUTES[name].write
    return _request(client, write.method, _url(name, world, record), ROUTES[name].api, write.data(world, record),
                    write.multipart)


@pytest.mark.parametrize("role", VIEWER_ROLES)
@pytest.mark.parametrize("name", routes_with("write"))
def test_write_changes_the_record_in_scope_and_outside_answers_404_and_changes_nothing(client, world, name, role):
    """Every action, and every detail route that declares the change it takes."""
    route = ROUTES[name]
    writers = route.write.by or route.editors
    scoped, inside, outside = _inside_and_outside(world, route, role)
    model = type(outside)
    before = model.objects.filter(pk=outside.pk).values().get()
    client.force_login(world.viewer(role))

    response = _write(client, world, name, inside)
    if writers is not None and role not in writers:
        assert response.status_code == 403, "an in-scope reader who may not change the record is refused"
        assert not route.write.done(inside)
    else:
        assert response.status_code < 400, f"the in-scope change must be made, or this test proves nothing: " \
                                           f"{response.status_code} {response.content[:500]!r}"
        assert route.write.done(inside), "the in-scope POST answered but changed nothing"

    response = _write(client, world, name, outside)
    assert response.status_code == 404, f"{role} {route.write.method.upper()} {name}"
    assert scoped.marker(outside) not in response.content.decode()
    assert not route.write.done(outside)
    assert model.objects.filter(pk=outside.pk).values().get() == before


def _offered(world, route, commune_of, viewer=None):
    """A record of each choice; one that depends on its viewer (``by_viewer``: a fund they manage)
    is made for ``viewer`` when given, and otherwise for no one of the commune."""
    def make(scoped):
        own = {"viewer": viewer} if viewer is not None and scoped.by_viewer else {}
        return scoped.make(world, commune_of(scoped), **own)

    return {name: make(SCOPED_MODELS[model]) for name, model in route.offers.choices.items()}


@pytest.mark.parametrize("role", VIEWER_ROLES)
@pytest.mark.parametrize("name", routes_with("offers"))
def test_page_offers_records_in_scope_only_and_makes_nothing_with_an_outsiders(client, world, name, role):
    route, url = ROUTES[name], _url(name, world)
    offers = route.offers
    inside = _offered(world, route, lambda scoped: world.commune, viewer=world.viewer(role))
    outside = _offered(world, route, lambda scoped: scoped.outside_commune(world, role))
    client.force_login(world.viewer(role))
    if route.editors is not None and role not in route.editors:
        assert client.get(url).status_code == 403
        assert client.post(url, offers.data(world, inside)).status_code == 403
        assert not offers.done(inside)
        return

    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    for field, model in offers.choices.items():
        marker = SCOPED_MODELS[model].marker
        assert marker(inside[field]) in body, f"{field}: the in-scope record must be offered"
        assert marker(outside[field]) not in body, f"{field}: an outsider's record is offered"
        options = options_of(body, field)
        if options is not None:
            assert str(inside[field].pk) in options
            assert str(outside[field].pk) not in options

        asked = client.get(url, {field: outside[field].pk})
        assert asked.status_code in (200, 400, 404)
        assert marker(outside[field]) not in asked.content.decode(), f"?{field}= shows the outsider's record"

        mixed = {**inside, field: outside[field]}
        refused = client.post(url, offers.data(world, mixed))
        assert refused.status_code in (400, 403, 404), f"{field}: the outsider's record was accepted"
        assert marker(outside[field]) not in refused.content.decode()
        assert not offers.done(mixed)

    made = client.post(url, offers.data(world, inside))
    assert made.status_code == 302, f"the in-scope choice must be accepted, or this test proves nothing: " \
                                    f"{made.content[:2000]!r}"
    assert offers.done(inside)


@pytest.mark.parametrize("role", VIEWER_ROLES)
@pytest.mark.parametrize("name", routes_with("finds"))
def test_page_finds_a_record_in_scope_and_hides_one_outside(client, world, name, role):
    route, url = ROUTES[name], _url(name, world)
    finds = route.finds
    scoped = SCOPED_MODELS[finds.model]
    inside, outside = scoped.make(world, world.commune), scoped.make(world, scoped.outside_commune(world, role))
    client.force_login(world.viewer(role))
    if route.editors is not None and role not in route.editors:
        assert client.post(url, finds.data(world, inside)).status_code == 403
        return

    shown = client.post(url, finds.data(world, inside)).content.decode()
    assert finds.marker(inside) in shown, "the in-scope record must be found, or this test proves nothing"
    hidden = client.post(url, finds.data(world, outside))
    assert hidden.status_code in (200, 400)
    assert finds.marker(outside) not in hidden.content.decode()
    if finds.reveals:
        assert finds.reveals(outside) in hidden.content.decode(), "the outsider's hit must be found (and hidden)"


def _counted_cases():
    return [pytest.param(count, role, id=f"{count.route}-{count.label}-{role}")
            for count in COUNTS for role in count.roles]


@pytest.mark.parametrize(("count", "role"), _counted_cases())
def test_figure_on_a_page_counts_the_records_in_scope_and_no_other(client, world, count, role):
    viewer = world.viewer(role)
    scoped = SCOPED_MODELS[count.model]
    client.force_login(viewer)
    client.cookies.load({"django_language": "en"})

    def shown() -> int:
        response = client.get(reverse(count.route, kwargs=count.kwargs(world, viewer) if count.kwargs else None))
        assert response.status_code == 200
        return count.read(response.content.decode())

    before = shown()
    for _ in range(2):
        scoped.make(world, world.commune)
    scoped.make(world, scoped.outside_commune(world, role))
    assert shown() == before + 2, "two records were made in scope and one outside"


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


@pytest.mark.parametrize("name", routes_of_kind("public"))
def test_public_route_answers_a_visitor_without_sending_them_to_sign_in(client, world, name):
    route = ROUTES[name]
    for method in route.methods:
        response = _request(client, method, _url(name, world), route.api)
        # Shown (a search asked without its words answered with a message, 400), never missing.
        assert response.status_code != 404 and response.status_code < 500, f"{method.upper()} {name}"
        assert not response.get("Location", "").startswith(reverse("login")), f"{method.upper()} {name}"
