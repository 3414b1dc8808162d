"""Demo accounts, one per persona, all with the same demo password. Synthetic people only:
nobody named in the article is turned into a personal record."""

from .models import Role, User
from .services import role_grant, user_create

DEMO_PASSWORD = "Fumin@2020"  # noqa: S105 (printed for the demo on purpose)
ADMIN_MOBILE = "13800000000"

# (mobile, name, role, area or unit name)
PERSONAS = [
    (ADMIN_MOBILE, "平台管理员", Role.PLATFORM_ADMIN, "静安区"),
    ("13800000001", "周晓岚", Role.SUBDISTRICT_STAFF, "南京西路街道"),
    ("13800000002", "陈立群", Role.GRID_COORDINATOR, "第一工作网格"),
    ("13800000003", "沈美华", Role.COMMUNITY_SECRETARY, "华业居民区"),
    ("13800000004", "陆海峰", Role.COMMUNITY_SECRETARY, "威海居民区"),
    ("13800000005", "顾文静", Role.UNIT_LIAISON, "上海市作家协会"),
    ("13800000006", "吴志远", Role.MEMBER, "华业居民区"),
]


def ensure_user(mobile: str, name: str, password: str = DEMO_PASSWORD) -> User:
    user = User.objects.filter(mobile=mobile).first()
    if user is None:
        user = user_create(actor=None, name=name, mobile=mobile, password=password)
    return user


def seed_users(areas, units) -> list[User]:
    users = []
    for mobile, name, role, scope_name in PERSONAS:
        user = ensure_user(mobile, name)
        if role == Role.UNIT_LIAISON:
            role_grant(actor=None, user=user, role=role, unit=units[scope_name])
        else:
            role_grant(actor=None, user=user, role=role, area=areas[scope_name])
        users.append(user)
    return users


def ensure_demo_admin() -> tuple[str, str]:
    """Make sure the demo administrator exists and can log in with the demo password."""
    admin = User.objects.get(mobile=ADMIN_MOBILE)
    if not admin.check_password(DEMO_PASSWORD) or not admin.is_active:
        admin.set_password(DEMO_PASSWORD)
        admin.is_active = True
        admin.save(update_fields=["password", "is_active"])
    return ADMIN_MOBILE, DEMO_PASSWORD
