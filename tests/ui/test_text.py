from ui.text import md


def test_markdown_characters_are_escaped() -> None:
    assert md("![x](http://h/t.png)") == r"\!\[x\]\(http\://h/t\.png\)"
    assert md("plain words, accents é") == "plain words, accents é"
    assert md("*bold* _it_ `code` <b>") == r"\*bold\* \_it\_ \`code\` \<b\>"
