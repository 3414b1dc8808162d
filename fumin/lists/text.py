"""Chinese text as matching sees it: the words jieba cuts, without stop words and punctuation."""

import re
from functools import cache

import jieba

jieba.setLogLevel(60)  # jieba prints its dictionary loading at INFO; keep logs quiet

# Words that say nothing about what is needed or offered.
STOP_WORDS = frozenset(
    """的 了 和 与 及 或 在 是 有 为 对 把 被 等 我们 你们 他们 这个
    那个 一个 一些 进行 开展 提供 需要 希望 可以 能够 社区 居民 居民区
    小区 相关 工作 问题 情况 帮助 服务 活动 组织 参与 通过 以及 方面
    每周 每月 定期 目前 没有 比较 很多 一起 我 你 他 她 它 其 也 都
    就 还 又 要 会 能 个 位 名 次 人 周 年 月 日 这 那 之 以 于
    上 下 中 内 外 后 前 并 但 而 从 到 给 让 由 时 将 已""".split()
)
_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@cache
def _initialised() -> bool:
    jieba.initialize()
    return True


def terms_of(text: str) -> list[str]:
    """The distinct meaningful words of ``text``, in the order they first appear.

    ``cut_for_search`` also yields the shorter words inside long ones (流浪猫 → 流浪, 流浪猫), so a
    need and a resource phrased differently still share words.
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
    return list(seen)
