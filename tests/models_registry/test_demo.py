"""The quick start's typical models: the 2025 rounds of Mỏ Cày Bắc and Châu Thành with the sources'
example models, inspected, decided and recognised by a numbered notice, and replicated in 2026."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from donations.choices import Purpose
from donations.models import PostingLine
from frontwelfare.accounts.models import User
from frontwelfare.demo import demo_load
from models_registry.choices import ModelState
from models_registry.demo import demo_models_load
from models_registry.models import Award, Notice, Round, TypicalModel
from models_registry.selectors import replication_of, round_synthesis, state_counts


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), \
            transaction.atomic():
        call_command("load_areas", stdout=open("/dev/null", "w"))  # noqa: SIM115
        demo_load()
        yield User.objects.get(username="demo.huyen")
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_sources_example_models_are_registered_by_the_end_of_the_first_quarter(demo):
    names = set(TypicalModel.objects.filter(round__year=2025).values_list("name", flat=True))
    assert names == {"Đào giếng nước sạch", "Giọt nước nghĩa tình", "Ống heo tiết kiệm", "Nuôi bò sinh sản",
                     "Hội viên giúp nhau phát triển kinh tế", "Mua thẻ bảo hiểm y tế cho người nghèo",
                     "Xây sân xi măng", "Sửa chữa nhà cho hộ nghèo", "Nhà tiêu hợp vệ sinh", "Thùng rác công cộng"}
    registered = TypicalModel.objects.filter(round__year=2025, steps__name="register") \
        .values_list("steps__happened_on", flat=True)
    assert max(registered) <= datetime.date(2025, 3, 31)


@pytest.mark.django_db
def test_mo_cay_bac_recognised_five_of_six_by_notice_15(demo):
    round_ = Round.objects.get(unit__code="838", year=2025)
    counts = state_counts(round_.models.all())
    assert (counts[ModelState.RECOGNISED], counts[ModelState.PROPOSED_HIGHER], counts[ModelState.NOT_RECOGNISED]) \
        == (4, 1, 1)
    notice = Notice.objects.get(round=round_)
    assert (notice.reference, notice.issued_on, notice.recognised_models.count()) == ("15/TB-MTTQ",
                                                                                      datetime.date(2025, 10, 10), 5)
    assert any(row.registered_none for row in round_synthesis(round_))


@pytest.mark.django_db
def test_the_awards_money_comes_out_of_the_districts_fund_for_the_poor(demo):
    awards = Award.objects.filter(model__round__unit__code="838")
    assert awards.count() == 5
    paid = PostingLine.objects.filter(purpose=Purpose.TYPICAL_MODELS, fund__unit__code="838", amount__lt=0)
    assert sum(line.amount for line in paid) == -sum(award.amount or 0 for award in awards) < 0


@pytest.mark.django_db
def test_the_wells_were_replicated_in_two_communes_and_visited(demo):
    wells = TypicalModel.objects.get(name="Đào giếng nước sạch", round__year=2025)
    assert replication_of(wells) == {"communes": 2, "visits": 1, "people": 30, "media": 1}


@pytest.mark.django_db
def test_loading_the_demo_again_adds_nothing(demo):
    before = TypicalModel.objects.count()
    assert demo_models_load() == 0
    assert TypicalModel.objects.count() == before
