"""Special-topics seminars of the demo residency, dated relative to the day the demo is loaded.

``kind``, ``capacity`` and ``hosts`` (user names) are applied by ``lms.events.demo``, which also
adds the RSVPs: one seminar nearly full, one full with a waitlist, attendance at the past one.
"""

SEMINARS = [
    {
        "slug": "mapping-eviction-filings",
        "kind": "seminar",
        "capacity": 14,
        "hosts": ["amara"],
        "title": "Mapping eviction filings with public court data",
        "days_from_today": 3,
        "starts": (15, 0),
        "minutes": 90,
        "speaker": "amara",
        "speaker_bio": (
            "Amara Okafor builds data tools for housing-justice coalitions and taught "
            "the residency's civic-tech week for three cohorts."
        ),
        "audience": "everyone",
        "location": "Community room, 2nd floor",
        "call_link": "https://meet.jit.si/commons-code-eviction-data",
        "summary": "From a county docket to a neighbourhood map organizers can act on, without exposing tenants.",
        "body": (
            "## What we will do\n\n"
            "We will pull a month of eviction filings from a public court docket, clean the "
            "addresses, and map filings by census tract.\n\n"
            "## Bring\n\n- Your laptop with JupyterLab open\n- A question your community is asking about housing"
        ),
    },
    {
        "slug": "accessible-forms",
        "kind": "seminar",
        "capacity": 10,
        "hosts": ["luis"],
        "title": "Accessible forms for people in crisis",
        "days_from_today": 9,
        "starts": (13, 30),
        "minutes": 60,
        "speaker": "luis",
        "speaker_bio": "Luis Herrera designs intake tools for legal-aid clinics.",
        "audience": "residents",
        "location": "",
        "call_link": "https://meet.jit.si/commons-code-accessible-forms",
        "summary": "Labels, errors and plain language: intake forms that work on a cracked phone screen.",
        "body": (
            "Intake forms are often the first thing a person in crisis sees. We will audit a "
            "real legal-aid intake form together and fix what a screen reader trips on."
        ),
    },
    {
        "slug": "alumni-weekend-first-jobs",
        "kind": "alumni_weekend",
        "capacity": 30,
        "hosts": ["jordan"],
        "title": "Alumni weekend: from residency to your first tech job",
        "days_from_today": 26,
        "starts": (10, 0),
        "minutes": 240,
        "speaker": "jordan",
        "speaker_bio": "Jordan Rivera directs the residency and has hired for three nonprofits.",
        "audience": "alumni",
        "location": "Union hall, 415 Eastside Ave",
        "call_link": "",
        "summary": "Portfolio reviews, salary negotiation practice and lunch with hiring managers from partner organizations.",
        "body": (
            "A Saturday for alumni of every cohort: bring your portfolio, a question about "
            "negotiating, and a friend from your cohort."
        ),
    },
    {
        "slug": "git-for-organizers",
        "kind": "seminar",
        "capacity": 20,
        "hosts": ["priya"],
        "title": "Git for organizers: versioning the campaign toolkit",
        "days_from_today": -12,
        "starts": (15, 0),
        "minutes": 60,
        "speaker": "priya",
        "speaker_bio": "Priya Raman mentors residents and maintains open-source tools for mutual-aid networks.",
        "audience": "everyone",
        "location": "Classroom B",
        "call_link": "",
        "summary": "Keeping a campaign's documents and scripts in git, so nothing is lost when volunteers change.",
        "body": "Slides and the practice repository are linked in the community channel.",
    },
]
