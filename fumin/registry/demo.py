"""The demo world's places: Jing'an district, Nanjing West Road subdistrict, its four grids and
their residential communities (华业, 威海, 重华 and 陕南 are named in the article; the rest are
plausible neighbours), and a first set of the units the article names.

Every function here is idempotent: run it twice and nothing is duplicated.
"""

from .models import Area, Unit
from .services import area_create, unit_create

DISTRICT = "静安区"
SUBDISTRICT = "南京西路街道"
GRIDS = {
    "第一工作网格": ["华业居民区", "威海居民区", "静安别墅居民区"],
    "第二工作网格": ["重华居民区", "大中里居民区", "茂名居民区"],
    "第三工作网格": ["陕南居民区", "泰兴居民区", "南阳居民区"],
    "第四工作网格": ["新福康里居民区", "成都北居民区", "石门二路居民区"],
}
# (name, kind, community) — units the article names, seated in plausible communities.
UNITS = [
    ("上海市作家协会", Unit.Kind.SOCIAL_ORGANISATION, "威海居民区"),
    ("上海国际集团有限公司", Unit.Kind.STATE_OWNED, "华业居民区"),
    ("上海文化广播影视集团有限公司（SMG）", Unit.Kind.STATE_OWNED, "威海居民区"),
    ("太古（中国）投资有限公司", Unit.Kind.ENTERPRISE, "陕南居民区"),
    ("上海尚道企业管理有限公司", Unit.Kind.NEW_ECONOMIC, "华业居民区"),
    ("公惠医院", Unit.Kind.PUBLIC_INSTITUTION, "重华居民区"),
    ("上海市第一妇婴保健院", Unit.Kind.PUBLIC_INSTITUTION, "陕南居民区"),
    ("陕西省人民政府驻沪办事处", Unit.Kind.PROVINCIAL_OFFICE, "茂名居民区"),
]


def _ensure_area(name: str, kind: str, parent: Area | None) -> Area:
    existing = Area.objects.filter(name=name, parent=parent).first()
    return existing or area_create(actor=None, name=name, kind=kind, parent=parent)


def seed_areas() -> dict[str, Area]:
    """Create the area tree if missing; return every demo area by name."""
    areas: dict[str, Area] = {}
    areas[DISTRICT] = _ensure_area(DISTRICT, Area.Kind.DISTRICT, None)
    areas[SUBDISTRICT] = _ensure_area(SUBDISTRICT, Area.Kind.SUBDISTRICT, areas[DISTRICT])
    for grid_name, communities in GRIDS.items():
        grid = _ensure_area(grid_name, Area.Kind.GRID, areas[SUBDISTRICT])
        areas[grid_name] = grid
        for community in communities:
            areas[community] = _ensure_area(community, Area.Kind.COMMUNITY, grid)
    return areas


def seed_units(areas: dict[str, Area]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for name, kind, community in UNITS:
        existing = Unit.objects.filter(name=name).first()
        units[name] = existing or unit_create(
            actor=None, name=name, kind=kind, area=areas[community]
        )
    return units
