from django.core.management.base import BaseCommand

from fumin.lists.services import lists_reindex
from fumin.lists.text import TERMS_VERSION


class Command(BaseCommand):
    help = (
        "Recompute the jieba words of every need and resource and the resources' inverted index, "
        "after the rules of fumin/lists/text.py changed. Safe to run again: unchanged rows are "
        "not written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, **options):
        needs, resources = lists_reindex(batch_size=options["batch_size"])
        self.stdout.write(
            f"terms version {TERMS_VERSION}: {needs} needs and {resources} resources reindexed"
        )
