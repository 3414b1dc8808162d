"""Name search that understands Chinese characters, full pinyin and pinyin initials."""

from django.db.models import Q, QuerySet

from .pinyin import pinyin_key


def search_by_name(queryset: QuerySet, text: str, prefix: str = "") -> QuerySet:
    """Filter ``queryset`` to rows whose name matches ``text``.

    ``王小明``, ``wangxiaoming``, ``wang`` and ``wxm`` all find 王小明. ``prefix`` names the
    relation when the name lives on a related model (``"person__"``).
    """
    text = (text or "").strip()
    if not text:
        return queryset
    key = pinyin_key(text)
    condition = Q(**{f"{prefix}name__icontains": text})
    if key:
        condition |= Q(**{f"{prefix}name_pinyin__contains": key})
        condition |= Q(**{f"{prefix}name_initials__startswith": key})
    return queryset.filter(condition)
