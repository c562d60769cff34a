"""Markdown written by authors, turned into HTML that is safe to show to residents.

Guest instructors are trusted to teach, not to run script in residents'
browsers: whatever Markdown allows (raw HTML included) goes through bleach's
allow-list afterwards, so no script, event handler or ``javascript:`` URL
survives.
"""

import bleach
import markdown

MARKDOWN_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "smarty", "toc", "codehilite"]
MARKDOWN_EXTENSION_CONFIGS = {"codehilite": {"guess_lang": False, "css_class": "highlight"}}

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height"],
    "th": ["align", "scope"],
    "td": ["align"],
    "h2": ["id"],
    "h3": ["id"],
    "h4": ["id"],
    "code": ["class"],
    "div": ["class"],
    "span": ["class"],
    "pre": ["class"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def focusable_code(html: str) -> str:
    """Highlighted code blocks scroll sideways; a tab stop lets keyboard users scroll them."""
    return html.replace('<div class="highlight"><pre>', '<div class="highlight"><pre tabindex="0">')


def sanitize_html(html: str) -> str:
    """HTML from any author or source, through the same allow-list: no script, event handler
    or ``javascript:`` URL survives. Rich text goes through it when shown, however it was
    stored (the editor, an import, a script)."""
    return _cleaner.clean(html or "")


def render_markdown(text: str) -> str:
    """Render author Markdown to sanitized HTML (a plain string, not yet marked safe)."""
    html = markdown.markdown(
        text or "",
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    return focusable_code(_cleaner.clean(html))
