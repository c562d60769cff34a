"""The demo residency's people. Everyone signs in with ``DEMO_PASSWORD``."""

from lms.people.models import Role

DEMO_PASSWORD = "residency-demo"

STAFF = [
    ("jordan", "Jordan", "Rivera", "they/them", "Program director"),
]
GUEST_INSTRUCTORS = [
    ("amara", "Amara", "Okafor", "she/her"),
    ("luis", "Luis", "Herrera", "he/him"),
]
MENTORS = [
    ("priya", "Priya", "Raman", "she/her"),
    ("sam", "Sam", "Whitehorse", "he/him"),
    ("dana", "Dana", "Kowalczyk", "she/they"),
]
RESIDENTS = [
    ("aisha", "Aisha", "Bello", "she/her"),
    ("marcus", "Marcus", "Greene", "he/him"),
    ("lupe", "Guadalupe", "Torres", "she/her"),
    ("kai", "Kai", "Nakamura", "they/them"),
    ("deshawn", "DeShawn", "Carter", "he/him"),
    ("mei", "Mei", "Lin", "she/her"),
    ("rosa", "Rosa", "Delgado", "she/her"),
    ("tariq", "Tariq", "Haddad", "he/him"),
    ("jess", "Jess", "Morningstar", "she/they"),
    ("nia", "Nia", "Johnson", "she/her"),
    ("omar", "Omar", "Farah", "he/him"),
    ("alex", "Alex", "Kim", "they/them"),
]
ALUMNI = [
    ("tanisha", "Tanisha", "Brooks", "she/her"),
    ("hector", "Héctor", "Ramírez", "he/him"),
    ("ivy", "Ivy", "Chen", "she/her"),
    ("noor", "Noor", "Siddiqui", "she/her"),
]

ROLES_OF = {
    "staff": (Role.STAFF,),
    "guest": (Role.GUEST_INSTRUCTOR,),
    "mentor": (Role.MENTOR,),
    "resident": (Role.RESIDENT,),
}
