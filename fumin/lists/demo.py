"""Demo three lists (三张清单): sectors, programmes, projects, claims, needs and resources.

The article (社区晨报, 2020-12-23) gives the world:

- 2020: "组织开展了6大板块20个大项的“福民项目”", "认领公益志愿项目57个", "各居民区结合自身实际
  推出了43项“福民小项目”". None of those figures is typed here: ``fumin.lists.figures`` counts them
  over the records made below, all made through ``fumin.lists.services``:

  - 6 sectors and 20 programmes with projects in 2020 (plus a 21st programme, “南西红”, whose
    projects are all of 2021, so it must not count for 2020);
  - 43 community small projects (福民小项目) of 2020 across the 12 communities, among them the ones
    the article names: 华业's “宠爱YOU+” stray cats, 威海's 社区撰稿人, 重华 and 威海's
    “创全” / patriotic-health sanitation with 公惠医院 and 静安地铁投资公司, 陕南's volunteer team
    for order around the hospitals; and one 2020 small project still in draft that must not count;
  - 57 distinct public-welfare projects of 2020 with an active claim, by the demo units, several
    claimed by two units; two of them claimed in spring, so that the claims made from August to
    December 2020 (the article's "since August", including the two public-welfare projects of
    2021 claimed at the ceremony of 2020-12-17) also cover 57: the dashboard (``fumin.kpis``)
    counts claims by their date, ``fumin.lists.figures`` by the project's year; and
    public-welfare projects that must not count: one published but not claimed, one whose only
    claim was withdrawn, and claimed projects of other kinds.

- 2021: the seven projects the article says were newly adjusted (“共话初心、共担使命”联组学习,
  迎建党百年红色定向赛, “Nancy·show”白领艺术学苑 and 白领艺术团 — one line of the article, two
  projects —, “心联南西，汇聚书香”新联会读书会, 社区益生圈, 爱的旋律), marked adjusted with what
  changed (several copied forward from their 2020 projects); the four projects claimed at the
  ceremony of 2020-12-17 by the units the article names, with a participation mode and plan each;
  the three “南西红” projects co-built with the writers' association; and some 2020 small
  projects copied forward into 2021.

- Needs and resources in the communities the article mentions (stray cats in 华业, order around
  the hospitals of 陕南, sanitation in 重华 and 威海) and a spread of others (elderly living alone,
  families in difficulty, tutoring, legal advice…): open, matched, in a project, met, closed, with
  a few declined suggestions, so the matching workbench has something to show. Two needs are raised
  on the portal by the demo member (吴志远, 华业).

What is invented, for illustration: the names of the 6 sectors and 20 programmes (the article
gives only their number; the names follow the article's projects: 红色文化, 党建联学, 为民服务,
文化艺术, 社区治理, 公益志愿); every 2020 project except the four the article describes; the
claims' participation modes and plans (the article says only that the units "结合各自单位的特点谈了
认领项目的参与方式和具体设想"); milestones; the needs and resources; and two units:
上海南西爱宠动物诊所 and 上海南西交通文明志愿服务社 (synthetic credit codes). No real person
appears: member resources come from the synthetic demo people.

Idempotent: a second run finds the ceremony (made last, in the same transaction as the rest) and
does nothing.
"""

import datetime
from datetime import date

from fumin.accounts.models import User
from fumin.registry.demo import SUBDISTRICT, synthetic_credit_code
from fumin.registry.models import Area, Person, Unit
from fumin.registry.services import unit_create

from .models import Category, Claim, ClaimCeremony, Need, Programme, Project, Sector
from .services import (
    CeremonyClaim,
    ceremony_create,
    ceremony_record_claims,
    claim_create,
    claim_withdraw,
    match_accept,
    match_decline,
    milestone_add,
    milestone_set_done,
    need_create,
    need_raise,
    need_set_status,
    programme_create,
    project_copy_forward,
    project_create,
    project_mark_adjusted,
    project_set_status,
    project_start_from_need,
    project_update,
    resource_create,
    sector_create,
)

CEREMONY = "2021年南京西路街道“福民项目”认领仪式"
CEREMONY_DAY = date(2020, 12, 17)
MEMBER_MOBILE = "13800000006"  # the demo member persona (fumin.accounts.demo)

PW = Project.Kind.PUBLIC_WELFARE
CULTURE = Project.Kind.CULTURE
STUDY = Project.Kind.STUDY
SERVICE = Project.Kind.SERVICE
GOVERNANCE = Project.Kind.GOVERNANCE
M = Claim.Mode

# Sector → its programmes. Invented names (the article gives only "6大板块20个大项").
SECTORS = [
    ("红色文化", "传承红色基因，讲好辖区红色故事。",
     ["“四史”学习教育", "红色足迹寻访", "红色故事宣讲", "南西红"]),
    ("党建联学", "区域党组织联学联建，楼宇商圈党建。",
     ["区域党组织联组学习", "楼宇商圈党建", "双报到双报告"]),
    ("为民服务", "整合区域资源，为居民办实事。",
     ["为老服务", "健康服务", "法律服务", "就业服务"]),
    ("文化艺术", "丰富居民和楼宇白领的文化生活。",
     ["白领艺术学苑", "社区文化节", "书香南西"]),
    ("社区治理", "共建共治共享的社区治理。",
     ["创全与爱国卫生", "自治共治议事", "平安秩序", "社区历史文化"]),
    ("公益志愿", "公益志愿服务品牌。",
     ["社区益生圈", "爱的旋律", "扶幼助学"]),
]  # fmt: skip
ONLY_2021 = "南西红"  # the programme with projects only in 2021

# Units of the registry demo, by a short name.
U = {
    "作协": "上海市作家协会",
    "国际集团": "上海国际集团有限公司",
    "SMG": "上海文化广播影视集团有限公司",
    "太古": "太古（中国）投资有限公司",
    "尚道": "上海尚道企业管理有限公司",
    "公惠": "公惠医院",
    "地铁投资": "上海静安地铁投资有限公司",
    "中建二局": "中国建筑第二工程局有限公司华东分公司",
    "建筑装饰": "上海建筑装饰（集团）有限公司",
    "浙商": "浙商银行股份有限公司上海分行",
    "静安置业": "上海静安置业（集团）有限公司",
    "沪港": "沪港国际咨询集团有限公司",
    "陕西办": "陕西省人民政府驻沪办事处",
    "光明财务": "光明食品集团财务有限公司",
    "二大": "中共二大会址纪念馆",
    "规划院": "上海市城市规划设计研究院",
    "一妇婴": "上海市第一妇婴保健院",
    "多特瑞": "多特瑞（上海）商贸有限公司",
    "一小": "静安区南西第一小学",
    "实验中学": "静安区南西实验中学",
    "幼儿园": "南西艺术幼儿园",
    "南西物业": "上海南西物业管理有限公司",
    "梧桐物业": "上海梧桐物业服务有限公司",
    "志愿者协会": "静安区南西社区志愿者协会",
    "悦读": "上海悦读公益服务中心",
    "青禾": "上海青禾律师事务所",
    "汇智": "上海汇智信息科技有限公司",
    "锦程": "上海锦程健康管理有限公司",
    "爱宠": "上海南西爱宠动物诊所",
    "交通志愿": "上海南西交通文明志愿服务社",
}
# Units the article's projects need that the registry demo lacks: (short name, kind, community).
NEW_UNITS = [
    ("爱宠", Unit.Kind.NEW_ECONOMIC, "华业居民区", 301),
    ("交通志愿", Unit.Kind.NEW_SOCIAL, "陕南居民区", 302),
]

# How a 2020 project ends the year: completed, or still running with some milestones done.
DONE, RUNNING, EVALUATED = "completed", "in_progress", "evaluated"

# 2020 Fumin projects of the subdistrict: (programme, name, kind, claims, end status).
# A claim is (unit, mode, plan); the plans are illustrative.
SUBDISTRICT_2020 = [
    (
        "“四史”学习教育",
        "“四史”学习教育系列党课",
        STUDY,
        [
            ("作协", M.EXPERTISE, "邀请作家讲授“四史”专题党课"),
            ("二大", M.VENUE, "提供纪念馆场地和讲解"),
        ],
        EVALUATED,
    ),
    (
        "红色足迹寻访",
        "红色足迹·革命遗址寻访",
        CULTURE,
        [("二大", M.EXPERTISE, "讲解员带队寻访")],
        DONE,
    ),
    ("红色故事宣讲", "红色故事进楼宇", PW, [("SMG", M.VOLUNTEERS, "主持人志愿者进楼宇宣讲")], DONE),
    (
        "区域党组织联组学习",
        "区域党组织联组学习",
        STUDY,
        [("国际集团", M.JOINT, "轮值主持联组学习"), ("静安置业", M.VENUE, "提供会议场地")],
        DONE,
    ),
    (
        "楼宇商圈党建",
        "兴业太古汇商圈白领志愿服务日",
        PW,
        [
            ("太古", M.VOLUNTEERS, "每季度组织白领志愿者进社区"),
            ("尚道", M.VOLUNTEERS, "党员带头参加"),
        ],
        DONE,
    ),
    ("楼宇商圈党建", "恒隆广场午间公益课堂", PW, [("国际集团", M.VENUE, "提供午间课堂场地")], DONE),
    (
        "双报到双报告",
        "在职党员“双报到”志愿服务",
        PW,
        [
            ("浙商", M.VOLUNTEERS, "在职党员到居住地报到服务"),
            ("光明财务", M.VOLUNTEERS, "党员认领岗位"),
        ],
        RUNNING,
    ),
    (
        "为老服务",
        "老伙伴计划·结对关爱",
        PW,
        [("志愿者协会", M.VOLUNTEERS, "低龄老人结对高龄老人")],
        DONE,
    ),
    ("为老服务", "为老助餐·送餐上门", PW, [("光明财务", M.FUNDS, "资助助餐点送餐服务")], DONE),
    (
        "健康服务",
        "健康南西·义诊进社区",
        PW,
        [("一妇婴", M.EXPERTISE, "医护党员每月义诊"), ("公惠", M.EXPERTISE, "全科医生坐诊")],
        EVALUATED,
    ),
    ("健康服务", "心理健康疏导热线", PW, [("锦程", M.EXPERTISE, "心理咨询师值守热线")], DONE),
    ("健康服务", "母婴健康关爱", PW, [("一妇婴", M.EXPERTISE, "孕产期健康讲座")], DONE),
    ("法律服务", "法律服务进社区", PW, [("青禾", M.EXPERTISE, "律师每月坐堂咨询")], DONE),
    ("法律服务", "社区矛盾纠纷调解", PW, [("青禾", M.EXPERTISE, "律师参与调解")], RUNNING),
    (
        "就业服务",
        "就业创业指导",
        PW,
        [("沪港", M.EXPERTISE, "创业导师一对一指导"), ("汇智", M.EXPERTISE, "IT技能培训")],
        DONE,
    ),
    ("就业服务", "困难群体技能培训", PW, [("中建二局", M.EXPERTISE, "提供建筑技能培训")], DONE),
    (
        "白领艺术学苑",
        "白领艺术学苑·公益课程",
        CULTURE,
        [("SMG", M.EXPERTISE, "艺术指导授课")],
        DONE,
    ),
    ("社区文化节", "南西社区文化节", CULTURE, [("作协", M.JOINT, "共同策划文学单元")], DONE),
    ("书香南西", "书香南西·公益阅读", PW, [("悦读", M.VOLUNTEERS, "阅读推广人带读")], DONE),
    ("书香南西", "楼宇流动书屋", PW, [("作协", M.GOODS, "捐赠图书")], DONE),
    (
        "创全与爱国卫生",
        "“创全”复评·全域环境整治",
        PW,
        [
            ("静安置业", M.VOLUNTEERS, "党员志愿者包干街区"),
            ("南西物业", M.VOLUNTEERS, "保洁力量支援"),
        ],
        EVALUATED,
    ),
    (
        "创全与爱国卫生",
        "垃圾分类志愿督导",
        PW,
        [("梧桐物业", M.VOLUNTEERS, "督导员定时定点值守"), ("南西物业", M.GOODS, "提供分类桶")],
        DONE,
    ),
    (
        "自治共治议事",
        "居民区议事平台能力建设",
        GOVERNANCE,
        [("规划院", M.EXPERTISE, "规划师参与议事")],
        DONE,
    ),
    ("平安秩序", "平安南西·防诈骗宣传", PW, [("浙商", M.EXPERTISE, "反诈骗知识讲座")], DONE),
    ("平安秩序", "交通文明志愿岗", PW, [("地铁投资", M.VOLUNTEERS, "早晚高峰文明劝导")], DONE),
    (
        "社区历史文化",
        "老建筑·新故事 社区历史挖掘",
        CULTURE,
        [("作协", M.EXPERTISE, "作家指导写作"), ("建筑装饰", M.EXPERTISE, "讲解建筑修缮")],
        DONE,
    ),
    (
        "社区益生圈",
        "社区益生圈·食品捐赠配送",
        PW,
        [("光明财务", M.GOODS, "捐赠食品"), ("太古", M.VOLUNTEERS, "白领志愿者配送")],
        DONE,
    ),
    (
        "社区益生圈",
        "社区益生军·党员志愿者队伍",
        PW,
        [("浙商", M.VOLUNTEERS, "党员志愿者加入"), ("国际集团", M.VOLUNTEERS, "党员志愿者加入")],
        RUNNING,
    ),
    (
        "爱的旋律",
        "爱的旋律·关爱独居空巢侨界人士",
        PW,
        [("多特瑞", M.VOLUNTEERS, "员工结对探访"), ("SMG", M.JOINT, "联谊演出")],
        DONE,
    ),
    ("爱的旋律", "爱的旋律社区发展基金募集", PW, [("太古", M.FUNDS, "定向捐赠")], DONE),
    ("扶幼助学", "困境儿童·爱心助学", PW, [("多特瑞", M.FUNDS, "资助学习用品")], DONE),
    (
        "扶幼助学",
        "暑期爱心托管班",
        PW,
        [("一小", M.VENUE, "提供教室"), ("实验中学", M.VOLUNTEERS, "中学生志愿者辅导")],
        DONE,
    ),
]
# Claimed in spring, before the article's "since August": (project, month). With the two
# public-welfare projects claimed at the ceremony of 2020-12-17 (projects of 2021), the claims made
# from August to December 2020 also cover 57 distinct public-welfare projects, so the dashboard's
# claim-date figure (fumin.kpis) for "since August" agrees with the project-year figure.
CLAIMED_BEFORE_AUGUST = {"为老助餐·送餐上门": 4, "法律服务进社区": 5}
# Public-welfare projects of 2020 that must not count as claimed: (programme, name, how).
NOT_CLAIMED_2020 = [
    ("健康服务", "急救技能培训", "published"),  # published, nobody claimed it
    ("为老服务", "认知症友好社区", "withdrawn"),  # its only claim was withdrawn
]

# 2020 Fumin small projects of the communities: (community, programme, name, kind, claims, end).
COMMUNITY_2020 = [
    (
        "华业居民区",
        "社区历史文化",
        "“宠爱YOU+”社区流浪猫项目",
        PW,
        [
            ("太古", M.VOLUNTEERS, "兴业太古汇白领志愿者参与喂养和领养日"),
            ("爱宠", M.EXPERTISE, "公益价绝育手术"),
        ],
        DONE,
    ),
    (
        "华业居民区",
        "自治共治议事",
        "“华业青春社区”议事平台",
        GOVERNANCE,
        [("尚道", M.JOINT, "白领代表参加议事")],
        DONE,
    ),
    (
        "华业居民区",
        "为老服务",
        "楼宇白领进社区·为老助餐",
        PW,
        [("国际集团", M.VOLUNTEERS, "送餐")],
        DONE,
    ),
    (
        "华业居民区",
        "创全与爱国卫生",
        "垃圾分类“绿色账户”宣传",
        PW,
        [("尚道", M.VOLUNTEERS, "宣传")],
        DONE,
    ),
    (
        "威海居民区",
        "社区历史文化",
        "“社区撰稿人”项目",
        CULTURE,
        [("作协", M.EXPERTISE, "作家辅导社区撰稿人"), ("悦读", M.JOINT, "编印社区故事集")],
        EVALUATED,
    ),
    (
        "威海居民区",
        "创全与爱国卫生",
        "“创全”复评·威海洁净家园",
        PW,
        [("地铁投资", M.VOLUNTEERS, "党员志愿者清理卫生死角")],
        DONE,
    ),
    ("威海居民区", "为老服务", "独居老人“暖心”探访", PW, [("SMG", M.VOLUNTEERS, "结对探访")], DONE),
    ("威海居民区", "创全与爱国卫生", "楼道堆物清理", PW, [("多特瑞", M.VOLUNTEERS, "清理")], DONE),
    (
        "静安别墅居民区",
        "为老服务",
        "老洋房·邻里守望",
        PW,
        [("一小", M.VOLUNTEERS, "教师志愿者")],
        DONE,
    ),
    ("静安别墅居民区", "扶幼助学", "少儿暑托班", PW, [("一小", M.VENUE, "提供场地")], DONE),
    ("静安别墅居民区", "社区文化节", "弄堂文化节", CULTURE, [], DONE),
    (
        "重华居民区",
        "创全与爱国卫生",
        "爱国卫生运动·重华清洁家园",
        PW,
        [("公惠", M.VOLUNTEERS, "医护党员参加环境整治和卫生宣教")],
        EVALUATED,
    ),
    ("重华居民区", "健康服务", "公惠医院健康驿站", PW, [("公惠", M.EXPERTISE, "每周量血压")], DONE),
    (
        "重华居民区",
        "扶幼助学",
        "中学生社区志愿服务",
        PW,
        [("实验中学", M.VOLUNTEERS, "学生志愿者")],
        DONE,
    ),
    ("重华居民区", "自治共治议事", "重华议事会", GOVERNANCE, [], DONE),
    (
        "大中里居民区",
        "为老服务",
        "老房子适老化改造",
        PW,
        [("建筑装饰", M.EXPERTISE, "设计和施工")],
        RUNNING,
    ),
    (
        "大中里居民区",
        "为老服务",
        "邻里互助服务社",
        PW,
        [("志愿者协会", M.VOLUNTEERS, "组织志愿者")],
        DONE,
    ),
    (
        "大中里居民区",
        "平安秩序",
        "电动车安全充电宣传",
        PW,
        [("志愿者协会", M.VOLUNTEERS, "宣传")],
        DONE,
    ),
    (
        "茂名居民区",
        "社区文化节",
        "秦风文化进社区",
        CULTURE,
        [("陕西办", M.JOINT, "秦腔和剪纸展演")],
        DONE,
    ),
    (
        "茂名居民区",
        "平安秩序",
        "工地开放日·安全科普",
        PW,
        [("中建二局", M.EXPERTISE, "安全员讲解")],
        DONE,
    ),
    ("茂名居民区", "为老服务", "高龄老人助浴", PW, [("陕西办", M.FUNDS, "资助助浴服务")], DONE),
    ("茂名居民区", "书香南西", "睦邻点读报", CULTURE, [("中建二局", M.VOLUNTEERS, "读报")], DONE),
    (
        "陕南居民区",
        "平安秩序",
        "医院周边就医秩序志愿者队伍",
        PW,
        [
            ("一妇婴", M.VOLUNTEERS, "医院党员志愿者引导就医"),
            ("交通志愿", M.VOLUNTEERS, "高峰时段疏导交通"),
        ],
        EVALUATED,
    ),
    ("陕南居民区", "平安秩序", "防诈骗宣传进社区", PW, [("浙商", M.EXPERTISE, "案例讲解")], DONE),
    (
        "陕南居民区",
        "法律服务",
        "律师进社区·法律咨询",
        PW,
        [("青禾", M.EXPERTISE, "每月坐堂")],
        DONE,
    ),
    ("陕南居民区", "健康服务", "妇幼健康讲座", PW, [("一妇婴", M.EXPERTISE, "讲座")], DONE),
    (
        "泰兴居民区",
        "平安秩序",
        "吴江路街区文明劝导",
        PW,
        [("汇智", M.VOLUNTEERS, "周末劝导")],
        DONE,
    ),
    ("泰兴居民区", "书香南西", "亲子阅读会", PW, [("幼儿园", M.VOLUNTEERS, "教师带读")], DONE),
    ("泰兴居民区", "就业服务", "青年创业沙龙", SERVICE, [("沪港", M.EXPERTISE, "创业导师")], DONE),
    ("泰兴居民区", "创全与爱国卫生", "社区小花园共建", PW, [], RUNNING),  # no claim: must not count
    ("南阳居民区", "社区益生圈", "爱心早餐", PW, [("光明财务", M.GOODS, "捐赠早餐")], DONE),
    ("南阳居民区", "健康服务", "慢病管理小组", PW, [("锦程", M.EXPERTISE, "健康管理师")], DONE),
    (
        "南阳居民区",
        "社区益生圈",
        "困难家庭结对帮扶",
        PW,
        [("光明财务", M.VOLUNTEERS, "结对")],
        DONE,
    ),
    (
        "新福康里居民区",
        "自治共治议事",
        "社区微更新·规划师陪伴",
        GOVERNANCE,
        [("规划院", M.EXPERTISE, "规划师陪伴居民设计")],
        DONE,
    ),
    (
        "新福康里居民区",
        "创全与爱国卫生",
        "物业联盟·楼道微整治",
        PW,
        [("南西物业", M.VOLUNTEERS, "整治")],
        DONE,
    ),
    (
        "新福康里居民区",
        "为老服务",
        "老年智能手机课堂",
        PW,
        [("汇智", M.VOLUNTEERS, "IT志愿者")],
        DONE,
    ),
    (
        "成都北居民区",
        "红色故事宣讲",
        "二大会址·红色故事宣讲",
        STUDY,
        [("二大", M.EXPERTISE, "宣讲")],
        DONE,
    ),
    (
        "成都北居民区",
        "创全与爱国卫生",
        "垃圾分类督导",
        PW,
        [("梧桐物业", M.VOLUNTEERS, "督导")],
        DONE,
    ),
    (
        "成都北居民区",
        "为老服务",
        "独居老人安全守护",
        PW,
        [("梧桐物业", M.VOLUNTEERS, "每日巡查")],
        DONE,
    ),
    (
        "成都北居民区",
        "扶幼助学",
        "困境儿童课业辅导",
        PW,
        [("实验中学", M.VOLUNTEERS, "教师辅导")],
        DONE,
    ),
    (
        "石门二路居民区",
        "为老服务",
        "睦邻中心共建",
        PW,
        [("静安置业", M.VENUE, "提供睦邻中心用房")],
        DONE,
    ),
    (
        "石门二路居民区",
        "创全与爱国卫生",
        "青年志愿者环境整治",
        PW,
        [("静安置业", M.VOLUNTEERS, "整治")],
        DONE,
    ),
    ("石门二路居民区", "社区文化节", "社区健身团队", CULTURE, [], DONE),
]
MILESTONES = ("制定方案", "招募志愿者和对接资源", "开展服务", "总结评估")

# 2021: the seven newly adjusted projects. (programme, name, kind, copied from the 2020 project
# of this name or None, what was adjusted)
ADJUSTED_2021 = [
    ("区域党组织联组学习", "“共话初心、共担使命”区域党组织联组学习", STUDY, "区域党组织联组学习",
     "搭建全区域统筹、多方面联动、各领域融合的党建分享交流平台，围绕“四史”学习教育组织联组党课。"),
    ("红色足迹寻访", "迎建党百年红色定向赛", CULTURE, None,
     "新增：以趣味闯关、定向赛打卡的形式，组织居民和楼宇白领走进南西新地标。"),
    ("白领艺术学苑", "“Nancy·show”白领艺术学苑", CULTURE, "白领艺术学苑·公益课程",
     "依托社区文化活动中心，按商圈白领的不同需求开设电钢琴、古典舞、现代舞、瑜伽等课程。"),
    ("白领艺术学苑", "“Nancy·show”白领艺术团", CULTURE, None,
     "新增：为有一定基础的白领组建舞蹈、戏曲、民乐、话剧等专业队伍。"),
    ("书香南西", "“心联南西，汇聚书香”新联会读书会", CULTURE, None,
     "新增：以历史文化建筑为主题开展专题阅读分享，动员新阶层人士参与城市文化行走，举办大咖著作分享会。"),
    ("社区益生圈", "社区益生圈", PW, "社区益生圈·食品捐赠配送",
     "整合商会企业、区域单位捐赠的食品配送到社区困难家庭，建立以党员志愿者为主的“社区益生军”队伍。"),
    ("爱的旋律", "爱的旋律", PW, "爱的旋律·关爱独居空巢侨界人士",
     "结对关爱独居、空巢侨界人士，依托“爱的旋律”社区发展基金发展为动员社会各方力量参与的公益品牌。"),
]  # fmt: skip
# 2021: claimed at the ceremony. (programme, name, kind, unit, mode, plan — illustrative)
CEREMONY_2021 = [
    ("红色足迹寻访", "红色印迹——优秀历史建筑参观", CULTURE, "建筑装饰", M.EXPERTISE,
     "发挥集团在优秀历史建筑修缮保护方面的专业优势，由参与修缮的工程师党员担任讲解员，每季度带领"
     "居民和楼宇白领参观一处辖区优秀历史建筑，讲述建筑背后的红色故事和修缮故事。"),
    ("自治共治议事", "对话十四五——规划师进社区", GOVERNANCE, "规划院", M.EXPERTISE,
     "组织规划师党员结对居民区，每季度进社区解读“十四五”规划和城市更新政策，参与居民区微更新方案的"
     "议事协商，为公共空间改造提供专业意见。"),
    ("健康服务", "“情暖妇幼 爱洒南西”——健康宣教义诊服务", PW, "一妇婴", M.VOLUNTEERS,
     "组织妇产科、儿科、营养科医护党员志愿者，每月到一个居民区开展孕产妇和婴幼儿健康宣教与义诊，"
     "为困难家庭的孕产妇提供就医咨询。"),
    ("扶幼助学", "蓝天下的至爱——扶幼助学", PW, "多特瑞", M.FUNDS,
     "捐资设立助学金，资助辖区困境家庭儿童的学习用品和课外活动费用；组织员工志愿者开展结对陪伴和"
     "周末课业辅导。"),
]  # fmt: skip
# 2021: “南西红”, co-built by the subdistrict and the writers' association.
NANXI_RED_2021 = [
    (
        "“记忆中的南西红”——《南西逸境》文学创作项目",
        "作家深入南西采风，创作反映南西红色记忆的文学作品。",
    ),
    ("“行走中的南西红”——南西红色革命遗址阅读行走", "沿辖区红色革命遗址开展阅读行走活动。"),
    (
        "“悦读中的南西红”——“城市阅读与书写之红色经典”作家分享会",
        "邀请作家分享红色经典的阅读与书写。",
    ),
]
# 2020 small projects copied forward into 2021 (the yearly cycle).
COPIED_2021 = ["“宠爱YOU+”社区流浪猫项目", "“社区撰稿人”项目", "医院周边就医秩序志愿者队伍"]

# Resources: (key, title, kind, category, provider, description, availability, capacity)
# provider: a unit's short name, "person:<skill>" for a demo member with that skill, or
# "dept:<department>".
RESOURCES = [
    ("cat_clinic", "流浪猫公益绝育手术", "services", "environment", "爱宠",
     "为社区流浪猫提供公益价绝育手术、疫苗和领养咨询", "每周二、四下午", 20),
    ("taikoo_vol", "兴业太古汇白领志愿者", "volunteers", "environment", "太古",
     "商圈白领志愿者参与社区环境和流浪猫照护、领养日活动", "周末", 30),
    ("ifc_room", "恒隆广场多功能会议室", "venue", "culture_sports", "国际集团",
     "可容纳60人的会议室，供社区议事、讲座和培训使用", "工作日晚间", 60),
    ("gonghui_med", "公惠医院医护志愿者", "volunteers", "health", "公惠",
     "医护党员志愿者参与卫生宣教、环境整治和健康义诊", "每月一次", 15),
    ("metro_vol", "静安地铁投资党员志愿者", "volunteers", "environment", "地铁投资",
     "党员志愿者参与“创全”环境整治、楼道清理和卫生死角清洁", "每周六上午", 20),
    ("fuying_consult", "孕产妇和婴幼儿健康咨询", "expertise", "health", "一妇婴",
     "妇产科、儿科医生提供健康宣教与咨询", "每月第二个周三", 50),
    ("traffic_team", "就医高峰交通疏导志愿者", "volunteers", "public_order", "交通志愿",
     "在医院周边早高峰疏导就医排队和交通，引导车辆有序停放", "工作日7:00-9:30", 12),
    ("czbank_fraud", "防诈骗宣讲", "expertise", "public_order", "浙商",
     "银行党员讲解电信诈骗案例和防范知识", "每季度", 100),
    ("lawyer", "律师公益法律咨询", "expertise", "legal_aid", "青禾",
     "律师解答婚姻家庭、遗嘱继承、物业纠纷等法律问题", "每月第一个周六", 30),
    ("food", "爱心食品捐赠", "goods", "families_in_difficulty", "光明财务",
     "定期捐赠米面油和牛奶等食品，配送给社区困难家庭", "每月", 40),
    ("writers", "作家讲座与写作辅导", "expertise", "culture_sports", "作协",
     "作家辅导社区写作爱好者，开展阅读与写作讲座", "每季度", 40),
    ("planner", "规划师社区规划咨询", "expertise", "other", "规划院",
     "规划师为社区公共空间微更新提供专业意见", "按需预约", 10),
    ("cleaning", "物业保洁支援", "services", "environment", "南西物业",
     "物业保洁队伍支援背街小巷和垃圾箱房清洁", "工作日", 8),
    ("sorting", "垃圾分类督导员", "volunteers", "environment", "梧桐物业",
     "垃圾分类定时定点督导", "每天早晚", 10),
    ("classroom", "小学教室和操场", "venue", "education", "一小",
     "寒暑假期间开放教室和操场，供社区托管班使用", "寒暑假", 80),
    ("health_talk", "慢病管理讲座", "services", "health", "锦程",
     "健康管理师讲解高血压、糖尿病日常管理", "每月", 40),
    ("it_vol", "IT志愿者智能手机教学", "volunteers", "education", "汇智",
     "IT志愿者教老年人使用智能手机、健康码和网上挂号", "周三下午", 20),
    ("tutor_vol", "中学生课业辅导志愿者", "volunteers", "education", "实验中学",
     "中学生志愿者为小学生辅导作业", "周末", 15),
    ("member_law", "党员志愿者法律咨询", "expertise", "legal_aid", "person:法律咨询",
     "在职党员利用业余时间提供法律咨询", "周末", 10),
    ("member_psy", "党员志愿者心理疏导", "expertise", "elderly_care", "person:心理疏导",
     "陪伴独居老人，开展心理疏导", "工作日晚间", 5),
    ("member_cook", "党员志愿者为老助餐", "volunteers", "elderly_care", "person:烹饪",
     "为独居老人做饭送餐", "周末", 6),
    ("fund", "社区发展基金小额资助", "funds", "other", "dept:街道社区服务办公室",
     "为居民区福民小项目提供小额资助", "全年", None),
    ("police", "平安志愿者巡逻", "volunteers", "public_order", "dept:街道平安办",
     "平安志愿者在医院和学校周边巡逻", "工作日", 30),
]  # fmt: skip

# Needs: (key, community, title, category, urgency, beneficiaries, group, description, status,
# [resource keys accepted], [resource keys declined with a reason], year raised)
NEEDS = [
    (
        "cats",
        "华业居民区",
        "小区流浪猫数量多，夜间扰民",
        "environment",
        "high",
        300,
        "小区居民",
        "小区内流浪猫繁殖较快，夜间叫声扰民，部分楼道有卫生问题，需要绝育、照护和领养的长效办法。",
        "project:“宠爱YOU+”社区流浪猫项目",
        2020,
    ),
    (
        "cats_2021",
        "华业居民区",
        "流浪猫绝育后的照护和领养",
        "environment",
        "normal",
        120,
        "小区居民",
        "已绝育的流浪猫需要固定喂养点和领养渠道，希望楼宇白领志愿者继续参与。",
        "accept:cat_clinic,taikoo_vol",
        2021,
    ),
    (
        "hospital",
        "陕南居民区",
        "医院周边就医排队秩序混乱、交通拥堵",
        "public_order",
        "urgent",
        2000,
        "就医群众和周边居民",
        "辖区医院多，早高峰就医排队和接送车辆造成周边道路拥堵，居民出行不便。",
        "project:医院周边就医秩序志愿者队伍",
        2020,
    ),
    (
        "bikes",
        "陕南居民区",
        "医院门口共享单车乱停放",
        "public_order",
        "high",
        500,
        "周边居民",
        "医院门口人行道上共享单车堆放，影响轮椅和婴儿车通行。",
        "open",
        2021,
    ),
    (
        "pregnant",
        "陕南居民区",
        "孕产妇健康咨询",
        "health",
        "normal",
        40,
        "社区孕产妇",
        "社区里年轻家庭多，希望有医生定期讲解孕产期保健和婴幼儿喂养。",
        "accept:fuying_consult",
        2021,
    ),
    (
        "chonghua_clean",
        "重华居民区",
        "“创全”复评前背街小巷卫生整治",
        "environment",
        "urgent",
        1500,
        "重华居民区居民",
        "背街小巷有卫生死角和乱堆物，需要在复评前集中整治并形成长效保洁。",
        "project:爱国卫生运动·重华清洁家园",
        2020,
    ),
    (
        "bin_room",
        "重华居民区",
        "垃圾箱房异味和清运不及时",
        "environment",
        "high",
        600,
        "居民",
        "垃圾箱房夏季异味大，湿垃圾清运不及时，需要改造和加强保洁。",
        "decline:cleaning=该物业公司不服务本小区，请另找保洁力量",
        2021,
    ),
    (
        "weihai_clean",
        "威海居民区",
        "“创全”复评楼道和卫生死角清理",
        "environment",
        "high",
        800,
        "威海居民区居民",
        "老公房楼道堆物多，卫生死角需要清理，希望共建单位党员志愿者参与。",
        "project:“创全”复评·威海洁净家园",
        2020,
    ),
    (
        "weihai_stairs",
        "威海居民区",
        "老公房楼道堆物反弹",
        "environment",
        "normal",
        300,
        "居民",
        "整治后部分楼道又出现堆物，需要定期巡查和劝导。",
        "accept:metro_vol",
        2021,
    ),
    (
        "weihai_history",
        "威海居民区",
        "社区历史文化资料缺少整理",
        "culture_sports",
        "low",
        200,
        "社区居民",
        "社区老建筑和老居民的故事没有系统记录，希望有人帮助采写整理。",
        "project:“社区撰稿人”项目",
        2020,
    ),
    (
        "weihai_elderly",
        "威海居民区",
        "空巢老人日常陪伴",
        "elderly_care",
        "normal",
        25,
        "空巢老人",
        "部分空巢老人子女在外地，希望有人定期上门聊天、陪同就医。",
        "decline:member_cook=老人需要的是陪伴和陪同就医，不是送餐",
        2021,
    ),
    (
        "food_nanyang",
        "南阳居民区",
        "困难家庭食品帮扶",
        "families_in_difficulty",
        "high",
        35,
        "低保和困难家庭",
        "社区低保和困难家庭需要定期的食品帮扶。",
        "accept:food",
        2021,
    ),
    (
        "tutoring",
        "成都北居民区",
        "困境儿童课业辅导",
        "education",
        "normal",
        12,
        "困境家庭儿童",
        "困境家庭的孩子放学后无人辅导作业，希望有志愿者帮助。",
        "project:困境儿童课业辅导",
        2020,
    ),
    (
        "after_school",
        "成都北居民区",
        "双职工家庭小学生放学后看护",
        "education",
        "normal",
        30,
        "双职工家庭",
        "双职工家庭的小学生放学后无人看护，希望社区有托管和作业辅导。",
        "start:tutor_vol=放学后“小候鸟”托管辅导",
        2021,
    ),
    (
        "bath",
        "茂名居民区",
        "高龄老人洗澡困难",
        "elderly_care",
        "high",
        18,
        "高龄独居老人",
        "部分高龄独居老人家中没有安全的洗浴条件，需要助浴服务。",
        "project:高龄老人助浴",
        2020,
    ),
    (
        "ageing_home",
        "大中里居民区",
        "老房子适老化改造",
        "elderly_care",
        "normal",
        20,
        "高龄老人",
        "老房子楼梯陡、卫生间没有扶手，老人容易摔倒。",
        "open",
        2021,
    ),
    (
        "legal",
        "泰兴居民区",
        "居民遗嘱继承法律咨询",
        "legal_aid",
        "normal",
        15,
        "老年居民",
        "多位老人咨询遗嘱订立和房产继承问题，需要专业律师解答。",
        "accept:lawyer;decline:member_law=需要执业律师出具意见",
        2021,
    ),
    (
        "phones",
        "新福康里居民区",
        "老年人不会用智能手机",
        "education",
        "normal",
        60,
        "老年居民",
        "老年人不会用健康码、网上挂号，出行就医不便。",
        "open",
        2021,
    ),
    (
        "lonely",
        "静安别墅居民区",
        "独居老人夜间紧急求助",
        "elderly_care",
        "urgent",
        10,
        "独居老人",
        "独居老人夜间身体不适时求助困难，希望有紧急呼叫和邻里守望。",
        "open",
        2021,
    ),
    (
        "summer",
        "石门二路居民区",
        "双职工家庭暑期托管",
        "education",
        "normal",
        25,
        "双职工家庭",
        "暑假期间孩子无人看护。",
        "closed:已由街道暑期爱心托管班统一解决",
        2020,
    ),
    (
        "lamp",
        "静安别墅居民区",
        "弄堂路灯损坏",
        "other",
        "low",
        80,
        "弄堂居民",
        "弄堂里两盏路灯损坏，夜间出行不便。",
        "closed:已转物业报修并修复",
        2020,
    ),
]
# Raised on the portal by the demo member of 华业: (title, category, description).
RESIDENT_NEEDS = [
    (
        "小区健身器材损坏",
        "culture_sports",
        "中心花园的两台健身器材损坏，老人锻炼时有危险，希望维修。",
    ),
    (
        "希望开设老年人智能手机课程",
        "education",
        "家里老人不会用手机挂号和付款，希望社区开课教一教。",
    ),
]


def _day(year: int, month: int, day: int) -> datetime.datetime:
    from zoneinfo import ZoneInfo

    return datetime.datetime(year, month, day, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def seed_lists(areas, units) -> int:
    """Seed the three lists; returns the number of projects created (0 when already there)."""
    if ClaimCeremony.objects.filter(title=CEREMONY).exists():
        return 0
    subdistrict = areas[SUBDISTRICT]
    unit_of = _units(areas, units)
    categories = {c.code: c for c in Category.objects.all()}
    programmes = _sectors(subdistrict)
    done_2020 = {}
    count = 0

    def claim_all(project, claims, month):
        month = CLAIMED_BEFORE_AUGUST.get(project.name, month)
        for number, (short, mode, plan) in enumerate(claims):
            claim_create(
                actor=None,
                project=project,
                unit=unit_of[short],
                mode=mode,
                plan=plan,
                claimed_on=date(2020, month, 3 + 7 * number),
            )

    def run(project, end):
        """Start the project and end it as ``end`` says. Projects still running have milestones
        (half of them done: their progress); a completed project's progress is 100 anyway."""
        if end == RUNNING:
            milestones = [milestone_add(actor=None, project=project, title=t) for t in MILESTONES]
            for milestone in milestones[:2]:
                milestone_set_done(actor=None, milestone=milestone)
            return
        project = project_set_status(actor=None, project=project, status=RUNNING)
        if end in (DONE, EVALUATED):
            project_set_status(actor=None, project=project, status=DONE)
        if end == EVALUATED:
            project_set_status(
                actor=None,
                project=project,
                status=EVALUATED,
                evaluation="演示：项目按计划完成，居民满意度较高，建议下一年度继续开展。",
            )

    # 2020: subdistrict Fumin projects.
    for offset, (programme, name, kind, claims, end) in enumerate(SUBDISTRICT_2020):
        project = _published(name, kind, 2020, subdistrict, programmes[programme], "subdistrict")
        claim_all(project, claims, 8 + offset % 4)
        run(project, end)
        done_2020[name] = project
        count += 1
    for programme, name, how in NOT_CLAIMED_2020:
        project = _published(name, PW, 2020, subdistrict, programmes[programme], "subdistrict")
        if how == "withdrawn":
            claim = claim_create(
                actor=None,
                project=project,
                unit=unit_of["锦程"],
                mode=M.EXPERTISE,
                plan="认知症照护培训",
                claimed_on=date(2020, 9, 1),
            )
            claim_withdraw(actor=None, claim=claim, reason="演示：单位人员调整，暂无法参与。")
        count += 1

    # 2020: community small projects, and one still in draft.
    for offset, (community, programme, name, kind, claims, end) in enumerate(COMMUNITY_2020):
        project = _published(name, kind, 2020, areas[community], programmes[programme], "community")
        claim_all(project, claims, 8 + offset % 4)
        if name == "楼道堆物清理":  # a second unit claimed, then withdrew: still counted once
            late = claim_create(
                actor=None,
                project=project,
                unit=unit_of["SMG"],
                mode=M.VOLUNTEERS,
                plan="演示：后因活动时间冲突撤回",
                claimed_on=date(2020, 10, 20),
            )
            claim_withdraw(actor=None, claim=late, reason="演示：活动时间冲突。")
        run(project, end)
        done_2020[name] = project
        count += 1
    project_create(
        actor=None,
        name="社区共享工具屋（筹备中）",
        level=Project.Level.COMMUNITY,
        kind=PW,
        year=2020,
        owner_area=areas["华业居民区"],
        programme=programmes["为老服务"],
        description="筹备中的项目：居民共享家用工具，尚未发布。",
    )
    count += 1
    # 2021: the seven adjusted projects.
    for programme, name, kind, source, note in ADJUSTED_2021:
        if source:
            project = project_copy_forward(actor=None, project=done_2020[source], year=2021)
            project = project_update(actor=None, project=project, name=name)
        else:
            project = project_create(
                actor=None,
                name=name,
                level=Project.Level.SUBDISTRICT,
                kind=kind,
                year=2021,
                owner_area=subdistrict,
                programme=programmes[programme],
                description=note.removeprefix("新增："),
            )
            if not project.milestones.exists():
                for title in MILESTONES:
                    milestone_add(actor=None, project=project, title=title)
        project_mark_adjusted(actor=None, project=project, note=note)
        project_set_status(actor=None, project=project, status="published")
        count += 1
    _claim_2021(unit_of, "社区益生圈", [("光明财务", M.GOODS, "每月捐赠米面油和牛奶")])
    _claim_2021(unit_of, "爱的旋律", [("多特瑞", M.VOLUNTEERS, "员工志愿者结对探访侨界老人")])

    # 2021: the ceremony's four projects, claimed at the ceremony.
    lines = []
    for programme, name, kind, short, mode, plan in CEREMONY_2021:
        project = _published(
            name, kind, 2021, subdistrict, programmes[programme], "subdistrict", plan
        )
        lines.append(CeremonyClaim(project=project, unit=unit_of[short], mode=mode, plan=plan))
        count += 1

    # 2021: “南西红”, claimed by the writers' association.
    for name, description in NANXI_RED_2021:
        project = _published(
            name, CULTURE, 2021, subdistrict, programmes[ONLY_2021], "subdistrict", description
        )
        claim_create(
            actor=None,
            project=project,
            unit=unit_of["作协"],
            mode=M.JOINT,
            plan="街道党工委与作家协会党组共建，作协组织作家参与创作、行走和分享。",
            claimed_on=CEREMONY_DAY,
        )
        count += 1

    # 2021: small projects copied forward; the cat project published, the others still drafts.
    for number, name in enumerate(COPIED_2021):
        copy = project_copy_forward(actor=None, project=done_2020[name], year=2021)
        if number == 0:
            project_set_status(actor=None, project=copy, status="published")
        count += 1

    # Resources and needs, with the decisions on suggestions.
    resources = _resources(areas, unit_of, categories)
    projects = {p.name: p for p in done_2020.values()}
    count += _needs(areas, categories, resources, projects)
    _resident_needs(categories)

    # Last: the ceremony (its existence says the demo is there).
    ceremony = ceremony_create(
        actor=None, title=CEREMONY, held_on=CEREMONY_DAY, area=subdistrict, place="上海市作家协会"
    )
    ceremony_record_claims(actor=None, ceremony=ceremony, lines=lines)
    return count


def _units(areas, units) -> dict[str, Unit]:
    for short, kind, community, code in NEW_UNITS:
        name = U[short]
        if not Unit.objects.filter(name=name).exists():
            unit_create(
                actor=None,
                name=name,
                kind=kind,
                area=areas[community],
                credit_code=synthetic_credit_code(code),
            )
    by_name = {u.name: u for u in Unit.objects.filter(name__in=U.values())}
    return {short: by_name[name] for short, name in U.items()}


def _sectors(subdistrict: Area) -> dict[str, Programme]:
    programmes = {}
    for position, (name, description, names) in enumerate(SECTORS, start=1):
        sector = Sector.objects.filter(name=name).first() or sector_create(
            actor=None,
            name=name,
            area=subdistrict,
            position=position * 10,
            description=description,
        )
        for number, programme_name in enumerate(names, start=1):
            programmes[programme_name] = Programme.objects.filter(
                sector=sector, name=programme_name
            ).first() or programme_create(
                actor=None,
                sector=sector,
                name=programme_name,
                area=subdistrict,
                position=number * 10,
            )
    return programmes


def _published(name, kind, year, area, programme, level, description="") -> Project:
    project = project_create(
        actor=None,
        name=name,
        level=level,
        kind=kind,
        year=year,
        owner_area=area,
        programme=programme,
        description=description or f"{area.name}的福民项目：{name}。",
    )
    return project_set_status(actor=None, project=project, status="published")


def _claim_2021(unit_of, name, claims) -> None:
    project = Project.objects.get(name=name, year=2021)
    for short, mode, plan in claims:
        claim_create(
            actor=None,
            project=project,
            unit=unit_of[short],
            mode=mode,
            plan=plan,
            claimed_on=date(2021, 1, 15),
        )


def _resources(areas, unit_of, categories) -> dict:
    resources = {}
    used_people = set()
    for key, title, kind, category, provider, description, availability, capacity in RESOURCES:
        fields = {
            "title": title,
            "kind": kind,
            "category": categories[category],
            "description": description,
            "availability": availability,
            "capacity": capacity,
        }
        if provider.startswith("person:"):
            person = (
                Person.objects.filter(
                    consent_method="演示数据",
                    is_party_member=True,
                    skills=provider.removeprefix("person:"),
                    home_community__isnull=False,
                    archived_at__isnull=True,
                )
                .exclude(pk__in=used_people)
                .order_by("pk")
                .first()
            )
            if person is None:
                continue
            used_people.add(person.pk)
            fields["person"] = person
        elif provider.startswith("dept:"):
            fields["department"] = provider.removeprefix("dept:")
            fields["area"] = areas[SUBDISTRICT]
        else:
            fields["unit"] = unit_of[provider]
        resources[key] = resource_create(actor=None, **fields)
    return resources


def _needs(areas, categories, resources, projects) -> int:
    """Needs with their decisions; returns the number of projects started from a need."""
    started = 0
    for row in NEEDS:
        _key, community, title, category, urgency, expected, group, description, how, year = row
        need = need_create(
            actor=None,
            title=title,
            description=description,
            category=categories[category],
            area=areas[community],
            urgency=urgency,
            expected_beneficiaries=expected,
            beneficiary_group=group,
        )
        for step in how.split(";"):
            verb, _sep, rest = step.partition(":")
            if verb == "project":
                project = Project.objects.get(pk=projects[rest].pk)
                project_update(actor=None, project=project, needs=[*project.needs.all(), need])
                need_set_status(actor=None, need=need, status="in_project", note=project.name)
                if project.status in (Project.Status.COMPLETED, Project.Status.EVALUATED):
                    need_set_status(actor=None, need=need, status="met", note=project.name)
            elif verb == "accept":
                for resource_key in rest.split(","):
                    if resource_key in resources:
                        match_accept(actor=None, need=need, resource=resources[resource_key])
            elif verb == "decline":
                resource_key, _sep, reason = rest.partition("=")
                if resource_key in resources:
                    match_decline(
                        actor=None, need=need, resource=resources[resource_key], note=reason
                    )
            elif verb == "start":
                resource_key, _sep, name = rest.partition("=")
                project_start_from_need(
                    actor=None,
                    need=need,
                    name=name,
                    kind=PW,
                    year=2021,
                    resource=resources.get(resource_key),
                )
                started += 1
            elif verb == "closed":
                need_set_status(actor=None, need=need, status="closed", note=rest)
        # Raised in its year (demo only: the record says when, not the day the demo was loaded).
        raised = _day(year, 3 if year == 2020 else 1, 8 + len(title) % 20)
        Need.objects.filter(pk=need.pk).update(created_at=raised)
    return started


def _resident_needs(categories) -> None:
    member = User.objects.filter(mobile=MEMBER_MOBILE).first()
    if member is None:
        return
    for number, (title, category, description) in enumerate(RESIDENT_NEEDS):
        need = need_raise(
            actor=member, title=title, description=description, category=categories[category]
        )
        # Raised in January 2021, like the other demo needs of that year (demo only).
        Need.objects.filter(pk=need.pk).update(created_at=_day(2021, 1, 22 + number))
