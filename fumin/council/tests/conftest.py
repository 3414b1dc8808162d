import pytest

from .helpers import CouncilWorld, make_council


@pytest.fixture
def cw(world) -> CouncilWorld:
    """The world's council: unit A in the rotating chair, unit B a member unit, one draft."""
    return make_council(world)
