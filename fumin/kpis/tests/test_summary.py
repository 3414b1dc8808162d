"""The annual work summary: a Word document with the KPIs' figures in it, scoped, named errors."""

import io

from django.conf import settings
from docx import Document

from fumin.audit.models import AuditEntry

from .conftest import EXPECTED_2020


def text_of(response) -> str:
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


def test_the_summary_opens_as_a_word_document_with_the_figures(counted, client):
    client.force_login(counted.officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    response = client.get("/console/annual-summary/", {"year": 2020})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = text_of(response)
    assert "regional party-building work summary 2020" in text
    figures = EXPECTED_2020
    assert (
        f"{figures['organisations_registered']} unit and “two new” party organisations and "
        f"{figures['members_registered']} in-service party members"
    ) in text
    assert f"served {figures['volunteer_person_times']} person-times" in text
    assert f"benefiting {figures['beneficiary_person_times']} person-times" in text
    assert f"spanned {figures['sectors']} sectors and {figures['programmes']} programmes" in text
    for name in ("华业居民区", "威海居民区", "L1", "社区益生圈", "公惠医院", "上海市作家协会"):
        assert name in text
    assert "L3" not in text  # a draft project is not reported
    assert AuditEntry.objects.filter(action="export", note="annual summary").count() == 1


def test_a_secretary_gets_her_own_community(counted, client):
    client.force_login(counted.secretary_b)
    text = text_of(client.get("/console/annual-summary/", {"year": 2020}))
    assert "威海居民区" in text and "华业居民区" not in text
    response = client.get(
        "/console/annual-summary/", {"year": 2020, "area": counted.community_a.public_id}
    )
    assert response.status_code == 400  # not a choice she has


def test_a_bad_year_is_named_and_the_form_comes_back(counted, client):
    client.force_login(counted.officer)
    response = client.get("/console/annual-summary/", {"year": "20x0"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "年" in page or "Year" in page
    assert "输入整数" in page  # Django's own “Enter a whole number.”, in Chinese first
    assert client.get("/console/annual-summary/").status_code == 200
