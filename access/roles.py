"""The four roles and the identity every query carries."""

from __future__ import annotations

from dataclasses import dataclass

from languages import N_, Labels, _

VIEWER = "viewer"
FIELD_OFFICE = "field_office"
ANALYST = "analyst"
ADMIN = "admin"
ROLES = (VIEWER, FIELD_OFFICE, ANALYST, ADMIN)

ROLE_LABELS = Labels(
    {
        VIEWER: N_("viewer (leadership: maps, analysis, briefings; no narratives)"),
        FIELD_OFFICE: N_("field office (uploads for its own office; its own restricted fields)"),
        ANALYST: N_("analyst (everything; codes motivations; reviews and withdraws batches)"),
        ADMIN: N_("admin (users, configuration, the audit log)"),
    }
)
"""Each role with what it may do, as the person signed in reads it."""
ROLE_NAMES = Labels(
    {
        VIEWER: N_("viewer"),
        FIELD_OFFICE: N_("field_office"),
        ANALYST: N_("analyst"),
        ADMIN: N_("admin"),
    }
)
"""Each role in one word or two. English shows the code people type (``--role
field_office``); other languages show their own word for it."""


@dataclass(frozen=True)
class Caller:
    """Who is asking: a user name, one role and, for a field office, its office.

    Raises
    ------
    ValueError
        when the role is not one of :data:`ROLES`, the name is empty, or a field office
        user has no office.
    """

    name: str
    role: str
    office: str | None = None

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise ValueError(_("a user needs a name"))
        if self.role not in ROLES:
            raise ValueError(
                _(
                    "role was {role} but is expected to be one of {roles}",
                    role=repr(self.role),
                    roles=", ".join(ROLES),
                )
            )
        if self.role == FIELD_OFFICE and not (self.office and self.office.strip()):
            raise ValueError(
                _("user {name} is a field_office user but has no office", name=repr(self.name))
            )

    def describe(self) -> str:
        """``a.officer (field_office, Kalondo office)``: the form kept in records (the users
        file's ``added_by``), the same in every language."""
        where = f", {self.office}" if self.office else ""
        return f"{self.name} ({self.role}{where})"

    def shown(self) -> str:
        """:meth:`describe` as a person reads it, the role in the current language."""
        role = ROLE_NAMES[self.role]
        if self.office:
            return _("{name} ({role}, {office})", name=self.name, role=role, office=self.office)
        return _("{name} ({role})", name=self.name, role=role)
