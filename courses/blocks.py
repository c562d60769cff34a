"""StreamField blocks for lessons and seminars."""

from django.utils.safestring import mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .cards import card_context
from .markdown import focusable_code, render_markdown, sanitize_html

CODE_LANGUAGES = [
    ("python", "Python"),
    ("pycon", "Python console"),
    ("sql", "SQL"),
    ("bash", "Shell"),
    ("html", "HTML"),
    ("css", "CSS"),
    ("javascript", "JavaScript"),
    ("json", "JSON"),
    ("text", "Plain text"),
]

WEEKDAY_CHOICES = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
]

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "code", "blockquote"]


class SafeRichTextBlock(blocks.RichTextBlock):
    """Rich text, shown through the authored-HTML allow-list whatever it holds: the editor
    keeps to its features, but text stored by an import or a script is not checked by it."""

    def render_basic(self, value, context=None):
        return mark_safe(sanitize_html(str(super().render_basic(value, context=context))))  # noqa: S308 - sanitized just now


class MarkdownBlock(blocks.TextBlock):
    """Markdown, rendered and sanitized: the quickest way for a guest instructor to write a lesson."""

    def render_basic(self, value, context=None):
        return mark_safe(render_markdown(value))  # noqa: S308 - sanitized by render_markdown

    class Meta:
        icon = "doc-full"
        label = "Markdown"
        rows = 12
        form_classname = "markdown-block"
        description = "Text in Markdown: headings, lists, tables, links and code."
        preview_value = "## Why this matters\n\nA **tenant union** keeps its members' data safe."


class CodeBlock(blocks.StructBlock):
    """A code listing with syntax highlighting."""

    language = blocks.ChoiceBlock(choices=CODE_LANGUAGES, default="python")
    caption = blocks.CharBlock(required=False, max_length=200)
    code = blocks.TextBlock(rows=10)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        lexer = get_lexer_by_name(value["language"] or "text", stripnl=False)
        context["highlighted"] = mark_safe(  # noqa: S308 - pygments escapes the source
            focusable_code(
                highlight(value["code"], lexer, HtmlFormatter(cssclass="highlight", wrapcode=True))
            )
        )
        return context

    class Meta:
        icon = "code"
        template = "blocks/code_block.html"
        description = "A code listing, highlighted for its language."
        preview_value = {"language": "python", "caption": "Hello", "code": "print('hello')"}


class CalloutBlock(blocks.StructBlock):
    """A boxed tip, note, warning or reflection prompt that stands out from the text."""

    kind = blocks.ChoiceBlock(
        choices=[
            ("tip", "Tip"),
            ("note", "Note"),
            ("warning", "Warning"),
            ("reflection", "Reflection"),
        ],
        default="tip",
    )
    title = blocks.CharBlock(required=False, max_length=120)
    text = SafeRichTextBlock(features=["bold", "italic", "link", "code"])

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        description = "A highlighted box for tips, warnings and reflection prompts."
        preview_value = {
            "kind": "tip",
            "title": "Tip",
            "text": "<p>Commit early, commit often.</p>",
        }


class ImageBlock(blocks.StructBlock):
    """An image with alternative text for screen readers and an optional caption."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text="Describe the image for people who cannot see it."
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        description = "An image with alt text and a caption."


class VideoBlock(blocks.StructBlock):
    """An embedded video with a title for screen readers and an optional transcript link."""

    video = EmbedBlock(help_text="A YouTube or Vimeo address.")
    title = blocks.CharBlock(max_length=200)
    transcript_url = blocks.URLBlock(required=False)

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        description = "A video from YouTube or Vimeo, embedded without tracking cookies."


class NotebookAssignmentBlock(blocks.StructBlock):
    """A pointer to a graded notebook exercise that residents open in JupyterLab."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context.update(
            card_context(
                "notebook",
                name=value["assignment"],
                page=(parent_context or {}).get("page"),
                user=getattr((parent_context or {}).get("request"), "user", None),
            )
        )
        return context

    assignment = blocks.CharBlock(
        max_length=100, help_text="The assignment's name, as its notebooks are named."
    )
    title = blocks.CharBlock(max_length=200)
    description = blocks.TextBlock(required=False, rows=3)

    class Meta:
        icon = "clipboard-list"
        template = "blocks/notebook_assignment_block.html"
        description = "A notebook exercise, graded automatically."
        preview_value = {
            "assignment": "ps1",
            "title": "Problem set 1",
            "description": "Variables, strings and your first functions.",
        }


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks a lesson or seminar body can be made of."""

    markdown = MarkdownBlock()
    rich_text = SafeRichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    code = CodeBlock()
    callout = CalloutBlock()
    image = ImageBlock()
    video = VideoBlock()
    notebook = NotebookAssignmentBlock()


class SessionBlock(blocks.StructBlock):
    """One slot in a class day."""

    starts = blocks.TimeBlock()
    ends = blocks.TimeBlock()
    title = blocks.CharBlock(max_length=120)
    kind = blocks.ChoiceBlock(
        choices=[
            ("standup", "Stand-up"),
            ("lesson", "Lesson"),
            ("lab", "Lab"),
            ("pairing", "Pair programming"),
            ("break", "Break"),
            ("guest", "Guest speaker"),
            ("review", "Review"),
            ("field", "Field project"),
        ],
        default="lesson",
    )

    class Meta:
        icon = "time"
        template = "blocks/session_block.html"
        description = "A time slot: stand-up, lesson, lab, lunch."


class DayScheduleBlock(blocks.StructBlock):
    """A class day of the week with its time slots."""

    weekday = blocks.ChoiceBlock(choices=WEEKDAY_CHOICES)
    sessions = blocks.ListBlock(SessionBlock())

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["day_name"] = dict(WEEKDAY_CHOICES).get(value["weekday"], "")
        return context

    class Meta:
        icon = "date"
        template = "blocks/day_schedule_block.html"
        description = "One class day, 9 to 5."
