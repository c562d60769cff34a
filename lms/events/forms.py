"""The attendance sheet: one tick per person going."""

from django import forms


class AttendanceForm(forms.Form):
    """Ticked people came; unticked people going did not."""

    attended = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "That person is not on the list any more; reload."},
    )

    def __init__(self, *args, going, **kwargs):
        super().__init__(*args, **kwargs)
        self.going = going
        self.fields["attended"].choices = [(rsvp.pk, rsvp.person.display_name) for rsvp in going]

    def marks(self) -> dict[int, bool]:
        ticked = set(self.cleaned_data["attended"])
        return {rsvp.pk: rsvp.pk in ticked for rsvp in self.going}
