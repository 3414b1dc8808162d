"""Pinyin keys so that Chinese names sort and search the way Chinese users expect.

A name is stored with two derived keys: the full pinyin without tones (``wangxiaoming``) to sort by
and to search, and the initials (``wxm``) to search by typing the first letters, as people do.
"""

from pypinyin import Style, lazy_pinyin


def pinyin_key(text: str) -> str:
    return "".join(lazy_pinyin(text or "", errors="default")).lower().replace(" ", "")


def pinyin_initials(text: str) -> str:
    return "".join(
        part[:1] for part in lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="default")
    ).lower()
