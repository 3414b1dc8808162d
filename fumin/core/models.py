"""Building blocks shared by the domain apps."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .pinyin import pinyin_initials, pinyin_key


class PublicIdModel(models.Model):
    """A stable UUID for records in URLs, feeds or exports, so internal ids stay inside."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PinyinNameModel(models.Model):
    """A Chinese ``name`` with pinyin keys kept in step on every save, for sorting and search."""

    name = models.CharField(_("name"), max_length=200)
    name_pinyin = models.CharField(_("name pinyin"), max_length=800, editable=False, db_index=True)
    name_initials = models.CharField(
        _("name initials"), max_length=200, editable=False, db_index=True
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.name_pinyin = pinyin_key(self.name)
        self.name_initials = pinyin_initials(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)
