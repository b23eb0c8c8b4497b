"""The menu offers each role only what it can do: no link to a page that answers there is nothing to do."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from taizhang.core.context_processors import menu


def _page(client, username: str, url: str = "/") -> str:
    client.force_login(get_user_model().objects.get(username=username))
    return client.get(url).content.decode()


def test_a_leader_reads_everything_but_is_not_offered_to_record_an_activity(client, db):
    html = _page(client, "cppcc-leader")
    assert f'href="{reverse("ledger:activity-list")}"' in html
    assert f'href="{reverse("ledger:activity-create")}"' not in html


def test_a_clerk_is_offered_to_record_an_activity(client, db):
    assert f'href="{reverse("ledger:activity-create")}"' in _page(client, "cppcc-clerk")


LISTS = list(
    dict.fromkeys(
        name.removesuffix("-list")
        for _, links in menu() + menu(member=True)
        for _, name, _writes in links
        if name.endswith("-list") and name != "ledger:activity-list"
    )
)


@pytest.mark.parametrize("username", ["cppcc-leader", "cppcc-member"])
@pytest.mark.parametrize("name", LISTS)
def test_a_list_offers_to_record_only_to_whoever_may(client, db, username, name):
    html = _page(client, username, reverse(f"{name}-list"))
    create = reverse(f"{name}-create")
    if f'href="{create}"' in html:
        # Offered: then the page must let this login record, not answer that it has nowhere to.
        page = client.get(create)
        assert page.status_code == 200 and "没有可登记的单位" not in page.content.decode()
