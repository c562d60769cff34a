from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def hours(value) -> str:
    """Hours as people write them: 10, 2.5, 0.75 (never 2.50 or 10.00)."""
    if value is None or value == "":
        return ""
    number = Decimal(value).quantize(Decimal("0.01"))
    return format(number.normalize(), "f")


@register.filter
def hours_phrase(value) -> str:
    """Hours with their unit, singular only for exactly one: 1 hour, 0.25 hours, 2.5 hours."""
    number = hours(value)
    return f"{number} hour" if number == "1" else f"{number} hours"
