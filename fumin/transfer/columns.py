"""The columns of the Excel files, one spec per kind of record.

The headers and the labels of choices are Chinese on purpose: they are the file format staff type
and read, the same whatever the language of the pages. Codes (``state_owned``) are accepted too,
so a file written by another program can use them. The explanations shown in the template's
说明 sheet are English source strings, translated like the rest of the interface.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from fumin.registry.models import PartyOrg, Person, Unit

YES, NO = "是", "否"

UNIT_KIND_LABELS = {
    Unit.Kind.ENTERPRISE: "企业",
    Unit.Kind.STATE_OWNED: "国有企业",
    Unit.Kind.GOVERNMENT: "机关",
    Unit.Kind.PUBLIC_INSTITUTION: "事业单位",
    Unit.Kind.SOCIAL_ORGANISATION: "社会团体",
    Unit.Kind.NEW_ECONOMIC: "新经济组织",
    Unit.Kind.NEW_SOCIAL: "新社会组织",
    Unit.Kind.PROVINCIAL_OFFICE: "外省市驻沪机构",
}
# Other names staff commonly use for the same kinds.
UNIT_KIND_ALIASES = {
    "社会组织": Unit.Kind.SOCIAL_ORGANISATION,
    "国企": Unit.Kind.STATE_OWNED,
    "党政机关": Unit.Kind.GOVERNMENT,
    "驻沪办事处": Unit.Kind.PROVINCIAL_OFFICE,
}
PARTY_ORG_KIND_LABELS = {
    PartyOrg.Kind.COMMITTEE: "党委",
    PartyOrg.Kind.GENERAL_BRANCH: "党总支",
    PartyOrg.Kind.BRANCH: "党支部",
}
GENDER_LABELS = {Person.Gender.FEMALE: "女", Person.Gender.MALE: "男"}


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese header, part of the file format
    key: str  # the name the code uses
    help: str  # what goes in the column (translated in the 说明 sheet)
    required: bool = False
    choices: tuple[str, ...] = ()  # labels offered as a dropdown in the template
    example: str = ""
    as_text: bool = False  # codes and numbers whose digits Excel must not touch
    width: int = 16


@dataclass(frozen=True)
class Spec:
    kind: str
    title: str  # the data sheet's name, and the stem of file names
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


UNITS = Spec(
    kind="units",
    title="单位",
    columns=(
        Column("单位名称", "name", _("The unit's full registered name."), True, width=30,
               example="上海市作家协会"),
        Column("单位类型", "kind", _("One of the listed kinds."), True,
               choices=tuple(UNIT_KIND_LABELS.values()), example="社会团体"),
        Column("统一社会信用代码", "credit_code",
               _("18 characters. A unit with a code is found again by its code; without one, "
                 "by its exact name in the same area."),
               as_text=True, width=22, example="51310000MJ49775928"),
        Column("所在区域", "area",
               _("The exact name of a residential community, grid or subdistrict in your scope."),
               True, width=18, example="华业居民区"),
        Column("楼宇/商圈", "place",
               _("Optional: the exact name of a registered office building or commercial "
                 "district."), width=18, example="恒隆广场"),
        Column("地址", "address", _("Optional."), width=30, example="巨鹿路675号"),
        Column("联系人", "contact_name", _("Optional."), example="张明"),
        Column("联系电话", "contact_phone", _("Optional: a mobile or office number."),
               as_text=True, example="021-62489000"),
    ),
)  # fmt: skip

PARTY_ORGS = Spec(
    kind="party_orgs",
    title="党组织",
    columns=(
        Column("党组织名称", "name", _("The organisation's full name."), True, width=30,
               example="上海市作家协会机关党委"),
        Column("类型", "kind", _("One of the listed kinds."), True,
               choices=tuple(PARTY_ORG_KIND_LABELS.values()), example="党委"),
        Column("所属单位", "unit",
               _("The unit it belongs to: its credit code, or its exact name if the unit is in "
                 "your scope. Fill in this or the residential community, not both."),
               width=26, example="51310000MJ49775928"),
        Column("所属居民区", "community",
               _("The residential community it belongs to (exact name), for a community's own "
                 "organisation."), width=16),
        Column("上级党组织", "parent",
               _("Optional: the exact name of the parent organisation, registered or in this "
                 "file."), width=26),
        Column("书记", "secretary_name", _("Optional."), example="李华"),
        Column("党员人数", "member_count", _("Optional: a whole number."), example="120"),
    ),
)  # fmt: skip

PEOPLE = Spec(
    kind="people",
    title="人员",
    columns=(
        Column("姓名", "name", _("The person's name."), True, example="王小明"),
        Column("手机号", "mobile",
               _("11 digits. Give a mobile number or an ID number (or both): a person is found "
                 "again by the ID number, else by the mobile number."),
               as_text=True, width=15, example="13812345678"),
        Column("身份证号", "id_number",
               _("Optional: 18 characters. Stored encrypted and shown masked."),
               as_text=True, width=22, example="310106198503120024"),
        Column("性别", "gender", _("Optional: 男 or 女."), choices=tuple(GENDER_LABELS.values()),
               width=8, example="男"),
        Column("居住居民区", "community",
               _("The exact name of the residential community the person lives in."),
               width=16, example="华业居民区"),
        Column("工作单位", "unit",
               _("Optional: the unit's credit code, or its exact name if the unit is in your "
                 "scope."), width=26),
        Column("是否党员", "is_party_member", _("是 or 否."), choices=(YES, NO), width=10,
               example=YES),
        Column("所在党组织", "party_org",
               _("Optional: the exact name of the person's party organisation."), width=26),
        Column("技能特长", "skills", _("Optional."), width=24, example="书法、摄影"),
    ),
)  # fmt: skip

MEMBER_REGISTRATIONS = Spec(
    kind="member_registrations",
    title="在职党员报到",
    columns=(
        Column("姓名", "name", _("The party member's name."), True, example="王小明"),
        Column("手机号", "mobile",
               _("11 digits. Give a mobile number or an ID number (or both): a person is found "
                 "again by the ID number, else by the mobile number."),
               as_text=True, width=15, example="13812345678"),
        Column("身份证号", "id_number",
               _("Optional: 18 characters. Stored encrypted and shown masked."),
               as_text=True, width=22, example="310106198503120024"),
        Column("居住居民区", "community",
               _("The exact name of the residential community the member lives in and registers "
                 "with (any residential community of the subdistrict)."),
               True, width=16, example="华业居民区"),
        Column("工作单位", "unit",
               _("The unit's credit code or exact name. May be left empty by the liaison of a "
                 "single unit: the member works there."), width=26),
        Column("党组织", "party_org",
               _("Optional: the exact name of the member's party organisation (of the work "
                 "unit)."), width=26),
        Column("技能特长", "skills", _("Optional."), width=24, example="书法、摄影"),
        Column("服务意向", "service_intent",
               _("Optional: what the member would like to do in the community."), width=30,
               example="周末志愿服务"),
    ),
)  # fmt: skip

SPECS = {spec.kind: spec for spec in (UNITS, PARTY_ORGS, PEOPLE, MEMBER_REGISTRATIONS)}
