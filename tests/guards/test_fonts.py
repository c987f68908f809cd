"""The PDF font the functions carry is the merge of the sources kept in infra/fonts."""

import pytest

from infra.fonts.merge import TARGET, WEIGHTS, merged


@pytest.mark.parametrize("weight", WEIGHTS)
def test_the_committed_font_is_the_merge_of_its_sources(weight: str) -> None:
    assert (TARGET / f"Noto-{weight}.ttf").read_bytes() == merged(weight), "run `python -m infra.fonts.merge`"
