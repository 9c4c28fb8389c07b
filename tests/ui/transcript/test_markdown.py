"""Markdown rendering is safe (R6) and faithful; the block scanner finds stable boundaries."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPalette,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from desktopchat.ui.transcript.actions import ActionLink, MessageAction, action_url, parse_action
from desktopchat.ui.transcript.code_highlighter import (
    DARK_STYLE,
    LIGHT_STYLE,
    LONGEST_LEXED_LINE,
    CodeHighlighter,
    CodeTheme,
    code_language,
    lexer_for,
    lexers_loading,
    needs_highlighting,
    prepared,
)
from desktopchat.ui.transcript.formats import CODE_HEADER, ChatFormats
from desktopchat.ui.transcript.markdown import (
    InertDocument,
    LinkKind,
    external_url,
    insert_markdown,
    is_code_block,
    link_policy,
)
from desktopchat.ui.transcript.markdown_blocks import (
    same_code_modulo_leading_tabs,
    split_stable,
)

LIGHT = CodeTheme(LIGHT_STYLE)


def formats() -> ChatFormats:
    return ChatFormats(QPalette(), QFont())


def render(text: str, code_header=None) -> QTextDocument:
    document = InertDocument()
    cursor = QTextCursor(document)
    cursor.insertText("header")
    insert_markdown(cursor, text, formats(), code_header=code_header)
    return document


def blocks(document: QTextDocument):
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def char_formats(document: QTextDocument):
    for block in blocks(document):
        fragments = block.begin()
        while not fragments.atEnd():
            yield fragments.fragment().text(), fragments.fragment().charFormat()
            fragments += 1


# --- rendering -------------------------------------------------------------------------


def test_first_block_keeps_its_format_and_the_cursor_block_is_untouched(qapp):
    document = render("# Title\n\nBody")
    header, title, body = list(blocks(document))
    assert header.text() == "header"
    assert title.text() == "Title" and title.blockFormat().headingLevel() == 1
    assert body.text() == "Body" and body.blockFormat().headingLevel() == 0


def test_lists_tables_and_code_are_rendered(qapp):
    text = "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```"
    document = render(text)
    listed = [b.text() for b in blocks(document) if b.textList() is not None]
    assert listed == ["one", "two"]
    tables = [f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert len(tables) == 1 and (tables[0].rows(), tables[0].columns()) == (2, 2)
    code = [b for b in blocks(document) if is_code_block(b)]
    assert [b.text() for b in code] == ["x = 1"]
    assert code[0].blockFormat().property(QTextFormat.Property.BlockCodeLanguage) == "python"
    assert code[0].previous().blockFormat().property(CODE_HEADER) == "python"


def test_no_trailing_empty_block_is_left_behind(qapp):
    document = render("Para.\n\n")
    assert [b.text() for b in blocks(document)] == ["header", "Para."]


def test_raw_html_is_shown_as_text_not_interpreted(qapp):
    document = render('<b>x</b> <script>alert(1)</script> <img src="http://example.com/y.png">')
    text = document.toPlainText()
    assert "<b>x</b>" in text
    assert "<script>alert(1)</script>" in text
    assert '<img src="http://example.com/y.png">' in text
    assert all(fmt.fontWeight() < QFont.Weight.Bold for _, fmt in char_formats(document))
    assert not any(fmt.isImageFormat() for _, fmt in char_formats(document))


def test_images_become_links_to_their_address(qapp):
    document = render("![a cat](http://127.0.0.1:9/cat.png) ![x](file:///etc/passwd) ![](a.png)")
    assert not any(fmt.isImageFormat() for _, fmt in char_formats(document))
    links = {text: fmt.anchorHref() for text, fmt in char_formats(document) if fmt.isAnchor()}
    assert links == {
        "[image: a cat]": "http://127.0.0.1:9/cat.png",
        "[image: x]": "file:///etc/passwd",
    }


def test_a_model_cannot_write_one_of_our_action_links(qapp):
    """A reply's `[Undo](dc-action:delete/7)` would delete a message when clicked: the
    model's links never act, whatever their case or form; its other links stay."""
    document = render(
        "[Undo](dc-action:delete/7) [x](DC-Action:regenerate/2) <dc-action:copy/1> "
        "[docs](https://example.com/a)"
    )
    links = {text: fmt.anchorHref() for text, fmt in char_formats(document) if fmt.isAnchor()}
    assert links == {"docs": "https://example.com/a"}
    shown = document.toPlainText()
    assert "Undo" in shown and "x" in shown and "dc-action:copy/1" in shown
    # md4c unescapes an address: the source text alone does not say it is ours.
    escaped = render("[y](dc\\-action:delete/8) ![z](dc\\-action:delete/9)")
    assert not any(fmt.isAnchor() for _, fmt in char_formats(escaped))


def test_each_code_block_gets_a_header_in_order(qapp):
    seen = []

    def header(cursor, language, index):
        seen.append((index, language, cursor.block().next().text()))
        cursor.insertText(f"copy {index}")

    document = render("```\na\n```\n\ntext\n\n```sh\nb\nc\n```", header)
    assert sorted(seen) == [(0, "", "a"), (1, "sh", "b")]
    lines = [b.text() for b in blocks(document)]
    assert lines == ["header", "copy 0", "a", "text", "copy 1", "b", "c"]


def test_inert_document_never_reads_a_file_or_decodes_data(qapp, tmp_path):
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    picture = tmp_path / "secret.png"
    assert image.save(str(picture))
    file_url = QUrl.fromLocalFile(str(picture))
    data_url = QUrl("data:text/plain;base64,c2VjcmV0")
    # A stock document reads both by itself: this is what InertDocument must prevent.
    stock = QTextDocument()
    assert stock.resource(QTextDocument.ResourceType.ImageResource, file_url) is not None
    inert = InertDocument()
    for url in (file_url, data_url, QUrl("http://127.0.0.1:9/x.png"), QUrl("relative.png")):
        assert inert.resource(QTextDocument.ResourceType.ImageResource, url) is None


# --- links -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("https://example.com/a?b", LinkKind.EXTERNAL),
        ("http://example.com", LinkKind.EXTERNAL),
        ("mailto:someone@example.com", LinkKind.EXTERNAL),
        ("mailto:someone@example.com?attach=/etc/passwd", LinkKind.EXTERNAL),
        ("mailto:?to=someone@example.com&attach=/etc/passwd", LinkKind.BLOCKED),
        ("mailto:a@example.com,b@example.com", LinkKind.BLOCKED),
        ("mailto:<img src=x>@example.com", LinkKind.BLOCKED),
        ("javascript:alert(1)", LinkKind.BLOCKED),
        ("file:///etc/passwd", LinkKind.BLOCKED),
        ("data:text/html,<b>x</b>", LinkKind.BLOCKED),
        ("relative/page.html", LinkKind.BLOCKED),
        ("http:///no-host", LinkKind.BLOCKED),
        ("dc-action:copy/3", LinkKind.ACTION),
    ],
)
def test_link_policy(address, kind):
    assert link_policy(QUrl(address)) is kind


@pytest.mark.parametrize(
    "address",
    [
        "mailto:someone@example.com?attach=/etc/passwd",
        "mailto:someone@example.com?subject=Hi&body=x&attach=file:///etc/passwd#part",
        "MAILTO:someone@example.com?cc=other@example.com",
    ],
)
def test_a_mail_link_goes_out_as_its_bare_address(address):
    assert external_url(QUrl(address)).toString() == "mailto:someone@example.com"


def test_web_links_go_out_unchanged():
    assert (
        external_url(QUrl("https://example.com/a?b=c#d")).toString()
        == "https://example.com/a?b=c#d"
    )


def test_action_urls_round_trip():
    link = ActionLink(MessageAction.COPY_CODE, (12, 0))
    assert parse_action(QUrl(action_url(MessageAction.COPY_CODE, 12, 0))) == link
    assert parse_action(QUrl("dc-action:copy/x")) is None
    assert parse_action(QUrl("dc-action:copy/²")) is None  # a digit, but not one int() reads
    assert parse_action(QUrl("dc-action:format_disk/1")) is None  # no such action: nothing
    assert parse_action(QUrl("https://example.com/copy/1")) is None


# --- highlighting ----------------------------------------------------------------------


def test_code_is_coloured_on_demand_and_other_blocks_never(qtbot):
    document = render(
        "Plain words\n\n```python\ndef f():\n    return 1\n```\n\n```nosuchlang\nx\n```"
    )
    highlighter = CodeHighlighter(document, LIGHT)
    code = [b for b in blocks(document) if is_code_block(b)]
    assert all(needs_highlighting(b) for b in code)
    wait_for_lexers(qtbot, highlighter, document)
    assert highlighter.highlight_blocks(list(blocks(document)), budget=10)
    assert not any(needs_highlighting(b) for b in code)
    keyword = code[0].layout().formats()[0]
    assert (keyword.start, keyword.length) == (0, 3)  # "def"
    assert keyword.format.foreground().color() != LIGHT.base_format.foreground().color()
    assert not [b for b in blocks(document) if not is_code_block(b) and b.layout().formats()]


def wait_for_lexers(qtbot, highlighter: CodeHighlighter, document: QTextDocument) -> None:
    """The style and lexers are made off the loop: until they are, lines stay plain."""
    highlighter.highlight_blocks(list(blocks(document)), budget=10)
    languages = {code_language(b.blockFormat()) for b in blocks(document) if is_code_block(b)}
    qtbot.waitUntil(lambda: all(prepared(LIGHT, language) for language in languages))


def test_a_line_too_long_to_lex_gets_the_base_colour_only(qtbot):
    long_line = "x = [" + "1, " * (LONGEST_LEXED_LINE // 3) + "]"
    document = render(f"```python\nx = 1\n{long_line}\n```")
    highlighter = CodeHighlighter(document, LIGHT)
    wait_for_lexers(qtbot, highlighter, document)
    assert highlighter.highlight_blocks(list(blocks(document)), budget=10)
    short, long = [b for b in blocks(document) if is_code_block(b)]
    assert len(short.layout().formats()) > 1
    [whole] = long.layout().formats()
    assert (whole.start, whole.length) == (0, len(long_line))
    assert whole.format == LIGHT.base_format


def test_style_and_lexers_are_made_off_the_loop(qtbot):
    theme = CodeTheme(LIGHT_STYLE)  # a style never used before: nothing of it is ready
    assert not prepared(theme, "toml")
    assert lexers_loading()
    qtbot.waitUntil(lambda: not lexers_loading(), timeout=10_000)
    assert prepared(theme, "toml") and lexer_for("toml") is not None


def test_theme_follows_the_palette(qapp):
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    light = QPalette()
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    assert CodeTheme.for_palette(dark).name == DARK_STYLE
    assert CodeTheme.for_palette(light).name == LIGHT_STYLE


def test_lexers_by_name_with_plain_fallback():
    assert lexer_for("py") is not None and lexer_for("py") is lexer_for("py")  # cached
    assert lexer_for("Python") is not None
    assert lexer_for("") is None
    assert lexer_for("no-such-language") is None


# --- block scanner ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stable"),
    [
        ("One para", 0),
        ("One para\n\nTwo", len("One para\n\n")),
        ("One para\n\n  indented continuation", 0),
        ("# Heading\nbody", len("# Heading\n")),
        ("para\n```py\ncode\n\nmore", len("para\n")),
        ("```py\ncode\n```\nafter", len("```py\ncode\n```\n")),
        ("- a\n\n- b\n\n  - c", len("- a\n\n")),
        ("x\n\n  ```\n  code\n\n  ```\n\ny", len("x\n\n  ```\n  code\n\n  ```\n\n")),
    ],
)
def test_split_stable_finds_the_last_top_level_boundary(text, stable):
    assert split_stable(text).stable_end == stable


def test_split_stable_reports_an_open_fence_that_is_the_whole_tail():
    split = split_stable("Intro\n\n```python\nline 1\nline")
    assert split.stable_end == len("Intro\n\n")
    fence = split.open_fence
    assert fence is not None and (fence.language, fence.marker) == ("python", "```")
    assert fence.body_start == len("Intro\n\n```python\n")
    assert split_stable("Intro\n\n```python\nx\n```\n").open_fence is None
    assert split_stable("Intro\n\n  ```python\nx\n").open_fence is None  # indented: no


def test_split_stable_starts_from_a_known_boundary():
    text = "a\n\nb\n\nc"
    assert split_stable(text, len("a\n\n")).stable_end == len("a\n\nb\n\n")
    assert split_stable(text, len(text)).stable_end == len(text)


def test_code_comparison_allows_only_leading_tab_expansion():
    assert same_code_modulo_leading_tabs("all:\n\techo a\tb", "all:\n    echo a\tb")
    assert not same_code_modulo_leading_tabs("all:\n\techo", "all:\n  echo")
    assert not same_code_modulo_leading_tabs("a", "a\nb")
