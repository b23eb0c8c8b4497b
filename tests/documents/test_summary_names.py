"""The summary page names who saved each version as people know them: the person, not the login."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from taizhang.org.models import Person

URL = reverse("documents:summary", kwargs={"unit": "cppcc", "period": "2020H1"})


def _versions(client) -> list[str]:
    page = client.get(URL).content.decode()
    listing = re.search(r'<ul class="versions">(.*?)</ul>', page, re.S).group(1)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in re.findall(r"<li>(.*?)</li>", listing)
    ]


def test_versions_name_the_person_who_saved_them(cppcc_clerk, cppcc):
    clerk = Person.objects.get(user__username="cppcc-clerk").name
    assert (
        cppcc_clerk.post(URL, {"shortcomings": "队伍薄弱。", "next_steps": "加强培训。"}).status_code == 302
    )
    # A login that stands for nobody (the deployment's admin) is named by its login.
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="demo"))
    assert admin.post(URL, {"shortcomings": "质量不高。", "next_steps": "加强培训。"}).status_code == 302
    second, first = _versions(admin)
    assert first.startswith("第1版") and first.endswith(clerk) and "cppcc-clerk" not in first
    assert second.startswith("第2版") and second.endswith("demo")
