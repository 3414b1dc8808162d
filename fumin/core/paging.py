from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of ``queryset``; a bad or out-of-range page number gives the nearest."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current filters as a query string, so page links keep them."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
