"""Chinese text as matching sees it: the words jieba cuts, without stop words and punctuation,
with a few everyday synonyms brought to one word so that differently phrased texts still meet.

Changing anything here changes the stored words of needs and resources: run
``manage.py reindex_lists`` afterwards (``TERMS_VERSION`` says which rules the words follow).
"""

import re
from functools import cache

import jieba

jieba.setLogLevel(60)  # jieba prints its dictionary loading at INFO; keep logs quiet

# Bumped whenever the rules below change, so a deployment knows to run ``reindex_lists``.
TERMS_VERSION = 2

# Words that say nothing about what is needed or offered.
STOP_WORDS = frozenset(
    """的 了 和 与 及 或 在 是 有 为 对 把 被 等 我们 你们 他们 这个
    那个 一个 一些 进行 开展 提供 需要 希望 可以 能够 社区 居民 居民区
    小区 相关 工作 问题 情况 帮助 服务 活动 组织 参与 通过 以及 方面
    每周 每月 定期 目前 没有 比较 很多 一起 我 你 他 她 它 其 也 都
    就 还 又 要 会 能 个 位 名 次 人 周 年 月 日 这 那 之 以 于
    上 下 中 内 外 后 前 并 但 而 从 到 给 让 由 时 将 已
    需求 较 多 少 很 非常 不 用 得 地 着 过 所 该 此 各 些 如 如何
    希望 帮忙 解决 缺乏 缺少 不够 急需 需 求助 反映 经常 一直 现在 最近
    同时 其中 部分 有些 存在 导致 造成 影响 来 去 做 搞 请 找 想 看
    可 能否 是否 已经 开始 主要 包括 欢迎 免费 提供者 面向 针对 对象
    知道 哪里 担心 不少 越来 越来越 说 怎么 怎样 还有 里 只能 自己 几位 几名 一位 一户
    很久 好好 之间 起 因 别的 除了 不愿 不会 常常 经常 总是 特别 有的 大家 平时 今年""".split()
)

# Everyday variants of one idea, brought to the word listed first. The variant is kept too; the
# first word is added, so "长者" and "老年人" meet on "老人".
SYNONYMS = {
    "老人": "老年人 老年 长者 长辈 老人家 老伙伴 老年朋友 耆老 高龄老人",
    "独居老人": "孤老 空巢老人 独居 空巢",
    "助餐": "送餐 供餐 老年餐 助老餐 饭菜 午餐",
    "儿童": "孩子 小孩 小朋友 少儿 未成年人 青少年",
    "学生": "小学生 中学生 中小学生 初中生 高中生",
    "辅导": "补习 家教 课业辅导 作业辅导 答疑 功课",
    "流浪猫": "野猫 流浪动物 流浪狗 猫咪 猫",
    "绝育": "节育 TNR",
    "医院": "医疗机构 卫生服务中心 诊所",
    "义诊": "健康咨询 免费体检 体检 巡诊",
    "就医": "看病 就诊 挂号 门诊",
    "律师": "律所 法律顾问 法律工作者",
    "法律": "法律咨询 法律援助 普法",
    "纠纷": "矛盾 争议 邻里纠纷",
    "困难家庭": "困难户 低保户 低保家庭 困境家庭 特困 贫困家庭 帮困",
    "食品": "食物 粮油 米面 蔬菜 生鲜 爱心餐",
    "垃圾分类": "垃圾 分类投放 湿垃圾 干垃圾 可回收物",
    "清洁": "保洁 打扫 清扫 卫生",
    "心理": "心理疏导 心理咨询 情绪 抑郁 慰藉",
    "陪伴": "陪聊 聊天 探望 探访 关爱",
    "停车": "车位 停车位 停车难",
    "电动车": "电瓶车 电动自行车 助动车",
    "消防": "火灾 灭火 消防通道 消防安全",
    "防诈骗": "诈骗 反诈 电信诈骗 骗局",
    "智能手机": "手机 智能 数字鸿沟 扫码 健康码",
    "维修": "修理 修缮 检修 维护",
    "就业": "求职 找工作 岗位 招聘 再就业",
    "场地": "场所 会议室 活动室 空间 教室",
    "志愿者": "志愿 义工 志愿服务",
    "认知症": "失智 老年痴呆 阿尔茨海默",
    "适老化": "扶手 防滑 无障碍",
    "护理": "照护 陪护 照料 护工",
    "康复": "理疗 复健 康复训练",
    "鼠害": "老鼠 灭鼠 鼠洞 鼠患 蟑螂 灭蟑",
    "视力": "眼睛 眼科 白内障 青光眼 近视",
}
# Words jieba's dictionary lacks, so it would cut them apart.
EXTRA_WORDS = (
    "流浪猫 独居老人 空巢老人 堆物 飞线 困难家庭 助餐 适老化 认知症 垃圾分类 "
    "楼道堆物 飞线充电 电动车 "
    "防诈骗 数字鸿沟 智能手机 暑托班 课后托管 爱心餐 家门口 微心愿 老伙伴 益生圈 停车难 "
    "邻里纠纷 法律援助 心理疏导 助浴 TNR"
).split()

_CANONICAL: dict[str, str] = {
    variant: word for word, variants in SYNONYMS.items() for variant in variants.split()
}
_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@cache
def _initialised() -> bool:
    jieba.initialize()
    for word in EXTRA_WORDS:
        jieba.add_word(word, freq=20000)
    for word, variants in SYNONYMS.items():
        for term in (word, *variants.split()):
            if len(term) > 1:
                jieba.suggest_freq(term, tune=False)
    return True


def terms_of(text: str) -> list[str]:
    """The distinct meaningful words of ``text``, in the order they first appear.

    ``cut_for_search`` also yields the shorter words inside long ones (老年人 → 老年, 老年人), so a
    need and a resource phrased differently still share words; a word with a more common
    synonym also brings that synonym (长者 → 长者, 老人).
    """
    _initialised()
    seen: dict[str, None] = {}
    for word in jieba.cut_for_search(text or ""):
        word = word.strip().lower()
        if not word or word in STOP_WORDS or not _MEANINGFUL.search(word) or len(word) > 40:
            continue
        if word.isdigit():
            continue
        seen.setdefault(word, None)
        canonical = _CANONICAL.get(word)
        if canonical and canonical != word:
            seen.setdefault(canonical, None)
    return list(seen)
