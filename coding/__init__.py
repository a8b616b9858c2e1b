"""Coding incidents' motivations: suggestions from readable rules and from the mission's own
codes, and the agreement between two analysts who code the same incidents.

Pure functions over incident frames (floor 2, beside ``analysis``): they read nothing from
the store and write nothing; :class:`access.session.Session` records what an analyst decides.
"""
