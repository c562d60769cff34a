"""Markdown written by guest instructors must never run script in a resident's browser."""

import pytest
from bs4 import BeautifulSoup

from courses.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<iframe src='https://evil.example'></iframe>",
    "<object data='javascript:alert(1)'></object>",
    "<embed src='javascript:alert(1)'>",
    "<a href='javascript:alert(1)'>click</a>",
    "<a href='JaVaScRiPt:alert(1)'>click</a>",
    "<a href='&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)'>x</a>",
    "<a href='  javascript:alert(1)'>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>x</a>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "![pic](javascript:alert(1))",
    '[a](https://ok.example "title" onmouseover="alert(1)")',
    "<details open ontoggle=alert(1)>x</details>",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "<p onclick='alert(1)'>hi</p>",
    "<body onload=alert(1)>",
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
    "<form action='javascript:alert(1)'><button>go</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<base href='javascript:alert(1)//'>",
    "<video><source onerror=alert(1)></video>",
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<a href="java\nscript:alert(1)">x</a>',
    "<table background='javascript:alert(1)'><tr><td>x</td></tr></table>",
]

DANGEROUS_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "link",
    "meta",
    "base",
    "body",
    "video",
    "source",
    "noscript",
    "details",
}
URL_ATTRIBUTES = {"href", "src", "action", "background", "data", "formaction", "xlink:href"}


def _dangerous_parts(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(True):
        if tag.name in DANGEROUS_TAGS:
            found.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"{tag.name}[{name}]")
            if name.lower() in URL_ATTRIBUTES:
                squashed = "".join(str(value).split()).lower()
                if (
                    not squashed.startswith(("https:", "http:", "mailto:", "#", "/"))
                    and ":" in squashed
                ):
                    found.append(f"{tag.name}[{name}={value}]")
    return found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_as_markup(payload):
    """Does any script, event handler, style or non-web URL survive rendering?"""
    html = render_markdown(f"Before\n\n{payload}\n\nAfter")
    assert _dangerous_parts(html) == []
    assert "Before" in html


def test_code_examples_about_script_are_shown_as_text():
    """Can a lesson still teach what a script tag looks like?"""
    html = render_markdown("```html\n<script>alert('hi')</script>\n```")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert "<script>alert('hi')</script>" in soup.get_text()


def test_ordinary_markdown_keeps_its_formatting():
    """Do headings, emphasis, lists, tables, links and code survive sanitizing?"""
    html = render_markdown(
        "## Tenants\n\n**Bold** and *italic*, a [link](https://example.org).\n\n"
        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('hi')\n```"
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("h2").text == "Tenants"
    assert soup.find("strong").text == "Bold"
    assert soup.find("a")["href"] == "https://example.org"
    assert len(soup.find_all("li")) == 2
    assert soup.find("table") is not None
    assert soup.find("div", class_="highlight") is not None


def test_markdown_block_renders_sanitized_html_in_a_lesson(client, syllabus, resident):
    """Does a hostile Markdown block reach the lesson page defused?"""
    from courses.models import LessonPage

    lesson = LessonPage.objects.descendant_of(syllabus).first()
    lesson.body = [("markdown", "Hello <img src=x onerror=alert(1)> [x](javascript:alert(1))")]
    lesson.save_revision().publish()
    client.force_login(resident)
    response = client.get(lesson.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "onerror" not in content
    assert "javascript:alert" not in content
