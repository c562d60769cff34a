"""Admin forms with checks that need the page's place in the tree."""

from wagtail.admin.forms import WagtailAdminPageForm

WEEK_NUMBER_TAKEN = "Week {number} already exists in this syllabus."


class WeekPageForm(WagtailAdminPageForm):
    """Refuses a second page for the same week number under one syllabus."""

    def clean(self):
        cleaned_data = super().clean()
        number = cleaned_data.get("number")
        parent = self.parent_page
        if number is None or parent is None:
            return cleaned_data
        siblings = type(self.instance).objects.child_of(parent).filter(number=number)
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        if siblings.exists():
            self.add_error("number", WEEK_NUMBER_TAKEN.format(number=number))
        return cleaned_data
