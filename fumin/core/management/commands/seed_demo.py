from django.core.management.base import BaseCommand
from django.db import transaction

from fumin.accounts import demo as accounts_demo
from fumin.activities import demo as activities_demo
from fumin.council import demo as council_demo
from fumin.kpis import demo as kpis_demo
from fumin.lists import demo as lists_demo
from fumin.registration import demo as registration_demo
from fumin.registry import demo as registry_demo


class Command(BaseCommand):
    help = "Load the demo world (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            areas = registry_demo.seed_areas()
            units = registry_demo.seed_units(areas)
            registry_demo.seed_bodies(areas, units)
            registry_demo.seed_people(areas, units)
            council_demo.seed_council(areas, units)
            registration_demo.seed_registrations(areas, units)
            activities_demo.seed_activities(areas, units)
            accounts_demo.seed_users(areas, units)
            lists_demo.seed_lists(areas, units)
            kpis_demo.seed_project_activities(areas, units)
            mobile, password = accounts_demo.ensure_demo_admin()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. 演示数据已加载。"))
        self.stdout.write("")
        self.stdout.write("  Demo login 演示登录  http://127.0.0.1:8000/")
        self.stdout.write(
            f"    administrator 管理员   mobile 手机号 {mobile}   password 密码 {password}"
        )
        self.stdout.write("    other personas 其他角色 (same password 密码相同):")
        for persona_mobile, name, role, scope in accounts_demo.PERSONAS[1:]:
            self.stdout.write(f"      {persona_mobile}  {name}  {role.label} · {scope}")
        self.stdout.write("")
