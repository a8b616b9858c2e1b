import gc

from tests.tiny_mission import tiny_mission
from ui.data import data_key
from ui.text import md


def test_markdown_characters_are_escaped() -> None:
    assert md("![x](http://h/t.png)") == r"\!\[x\]\(http\://h/t\.png\)"
    assert md("plain words, accents é") == "plain words, accents é"
    assert md("*bold* _it_ `code` <b>") == r"\*bold\* \_it\_ \`code\` \<b\>"


def test_data_keys_are_never_reused_for_other_data():
    first = tiny_mission()
    key = data_key(first)
    assert data_key(first) == key  # the same data keeps its number
    seen = {key}
    del first
    for _ in range(50):  # new data, often at a freed address, always gets a new number
        gc.collect()
        data = tiny_mission()
        assert data_key(data) not in seen
        seen.add(data_key(data))
        del data
