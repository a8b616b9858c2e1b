"""Who may do what: users, roles and the data layer that enforces them (issue #7).

Nothing here imports streamlit: the app and the ``pocmap`` command both go through
:class:`access.session.Session`, which carries the caller's identity into every query.
"""
