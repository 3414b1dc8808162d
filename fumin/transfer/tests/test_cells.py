"""Cell checks that take shortcuts for speed give the same answers as the registry's rules."""

import random

import pytest

from fumin.core.phones import normalize_mobile
from fumin.core.pinyin import pinyin_initials, pinyin_key
from fumin.registry.services import _import_pinyin
from fumin.transfer import cells


def _registry_answer(number: str):
    try:
        return normalize_mobile(number)
    except Exception:
        return None


def test_the_mobile_block_shortcut_agrees_with_normalize_mobile():
    rng = random.Random(11)
    numbers = [f"1{rng.randrange(10**10):010d}" for _ in range(4000)]
    # and several numbers in each of some blocks, where the shortcut answers from its cache
    numbers += [f"{n[:7]}{rng.randrange(10**4):04d}" for n in numbers[:300] for _ in range(3)]
    for number in numbers:
        try:
            ours = cells.mobile(number)
        except cells.CellError:
            ours = None
        assert ours == _registry_answer(number), number


@pytest.mark.parametrize("raw", ["+86 138 1234 5678", "0086-13812345678", "138-1234-5678"])
def test_mobile_numbers_in_other_forms_are_normalised(raw):
    assert cells.mobile(raw) == "13812345678"


def test_the_imports_pinyin_matches_what_save_computes():
    names = ["曾小贤", "单田芳", "吕布", "朴树", "Anna王", "1号楼", "重庆南路", "银行行长", "乐乐",
             "上海市作家协会机关党委", "a b c", "", "绿化带", "女儿"]  # fmt: skip
    rng = random.Random(5)
    surnames, given = "王李张刘陈曾单吕朴解仇区查乐", "伟芳长乐重行朴曾传藏和为了"
    names += [rng.choice(surnames) + rng.choice(given) + rng.choice(given) for _ in range(2000)]
    for name in names:
        assert _import_pinyin({}, name) == (pinyin_key(name), pinyin_initials(name)), name
