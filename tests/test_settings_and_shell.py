"""Settings refuse unsafe production set-ups; the shell speaks Chinese first and English on request;
error pages answer in both languages."""

import os
import subprocess
import sys
from pathlib import Path

import polib
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", **env}
    for inherited in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(inherited, None)
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "FUMIN_DEBUG": "0",
    "FUMIN_SECRET_KEY": "k" * 20 + "a-long-random-production-secret-" + "x9" * 10,
    "FUMIN_ALLOWED_HOSTS": "fumin.example.org",
    "FUMIN_SQLITE_PATH": "/nonexistent/fumin-deploy-check.sqlite3",
}


def test_the_development_key_is_refused_when_debug_is_off():
    env_without_key = {k: v for k, v in PRODUCTION.items() if k != "FUMIN_SECRET_KEY"}
    result = run_manage("check", **env_without_key)
    assert result.returncode != 0
    assert "FUMIN_SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_under_a_production_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_embedded_sqlite_database_runs_in_wal_mode(tmp_path):
    script = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = run_manage("shell", "-c", script, FUMIN_SQLITE_PATH=str(tmp_path / "wal.sqlite3"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"


def test_every_string_has_a_chinese_translation():
    catalogue = polib.pofile(str(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert not catalogue.untranslated_entries(), [e.msgid for e in catalogue.untranslated_entries()]
    assert not [e for e in catalogue.fuzzy_entries() if e.msgid], "fuzzy translations"
    obsolete = [e.msgid for e in catalogue.obsolete_entries()]
    assert not obsolete, f"obsolete entries: {obsolete}"


def test_the_language_switch_sets_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page and "Mobile number" in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert "手机号" in client.get("/accounts/login/").content.decode()


def test_the_404_page_speaks_both_languages(client, world):
    client.force_login(world.member)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "Page not found" in page


def test_the_403_page_speaks_both_languages(client, world):
    client.force_login(world.member)
    page = client.get("/console/").content.decode()
    assert "没有访问权限" in page and "Access denied" in page


@override_settings(DEBUG=False)
def test_the_500_page_speaks_both_languages(world):
    from django.test import Client

    from fumin.core import views

    request = Client().get("/").wsgi_request
    response = views.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in page and "Server error" in page


def test_every_asset_is_served_locally(client, world):
    client.force_login(world.officer)
    for url in ["/accounts/login/", "/console/", "/console/users/", "/portal/"]:
        page = client.get(url, follow=True).content.decode()
        for marker in ("https://", "http://", "//cdn"):
            for line in page.splitlines():
                if "<script" in line or "<link" in line:
                    assert marker not in line, f"{url} loads an outside asset: {line.strip()}"


def test_healthz_answers_without_login(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_pages_stay_chinese_for_a_browser_set_to_english_until_the_switch_is_used(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page and "手机号" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'lang="en"' in page
