"""People and their roles: residents, mentors, guest instructors and staff."""
