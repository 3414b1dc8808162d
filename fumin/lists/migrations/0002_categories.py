"""The taxonomy every installation starts with; staff may add, rename or retire entries."""

from django.db import migrations

CATEGORIES = [
    ("elderly_care", "为老服务", "elderly care",
     "老人 老年人 独居 空巢 高龄 养老 助餐 助浴 陪护 探访 孤老 失能 认知症 老伙伴"),
    ("families_in_difficulty", "困难帮扶", "help for families in difficulty",
     "困难 低保 残疾 帮困 救助 送温暖 食品 捐赠 物资 困境 特困 贫困"),
    ("health", "健康医疗", "health",
     "健康 医疗 义诊 体检 医院 就医 医生 护士 慢病 血压 宣教 妇幼 心理 急救"),
    ("culture_sports", "文化体育", "culture and sports",
     "文化 体育 艺术 舞蹈 合唱 读书 阅读 书法 摄影 戏曲 电影 健身 瑜伽 乐器 钢琴 红色 历史"),
    ("environment", "环境卫生", "environment and sanitation",
     "环境 卫生 垃圾 分类 绿化 清洁 整治 创全 爱国卫生 流浪猫 宠物 噪音 楼道 堆物"),
    ("public_order", "平安秩序", "public order and safety",
     "平安 秩序 交通 停车 拥堵 治安 消防 安全 巡逻 防诈骗 电动车"),
    ("legal_aid", "法律援助", "legal aid",
     "法律 律师 纠纷 调解 咨询 维权 合同 遗嘱 继承"),
    ("education", "教育助学", "education",
     "教育 助学 学生 儿童 青少年 课业 辅导 暑托 托管 家庭教育 扶幼 科普"),
    ("employment", "就业创业", "employment",
     "就业 创业 招聘 培训 技能 求职 岗位 职业"),
    ("other", "其他", "other", ""),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("lists", "Category")
    for position, (code, name, name_en, keywords) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "keywords": "\n".join(keywords.split()),
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("lists", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
