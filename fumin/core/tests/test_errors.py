from django.core.exceptions import ValidationError
from django.utils import translation

from fumin.core.errors import error_lines, labelled


def test_lines_name_their_field_with_the_colon_of_the_language():
    error = ValidationError({"start": ["Bad date."], "__all__": ["Something else."]})
    with translation.override("en"):
        assert error_lines(error, {"start": "from"}) == ["from: Bad date.", "Something else."]
        assert error_lines(error, lambda field: field.upper())[0] == "START: Bad date."
    with translation.override("zh-hans"):
        assert labelled("标题", "请填写。") == "标题：请填写。"
    assert labelled("", "only the message") == "only the message"
    assert error_lines(ValidationError("plain")) == ["plain"]
