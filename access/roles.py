"""The four roles and the identity every query carries."""

from __future__ import annotations

from dataclasses import dataclass

VIEWER = "viewer"
FIELD_OFFICE = "field_office"
ANALYST = "analyst"
ADMIN = "admin"
ROLES = (VIEWER, FIELD_OFFICE, ANALYST, ADMIN)

ROLE_LABELS = {
    VIEWER: "viewer (leadership: maps, analysis, briefings; no narratives)",
    FIELD_OFFICE: "field office (uploads for its own office; its own restricted fields)",
    ANALYST: "analyst (everything; codes motivations; reviews and withdraws batches)",
    ADMIN: "admin (users, configuration, the audit log)",
}


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
            raise ValueError("a user needs a name")
        if self.role not in ROLES:
            raise ValueError(f"role was {self.role!r} but is expected to be one of {ROLES}")
        if self.role == FIELD_OFFICE and not (self.office and self.office.strip()):
            raise ValueError(f"user {self.name!r} is a field_office user but has no office")

    def describe(self) -> str:
        """``a.officer (field_office, Kalondo office)``."""
        where = f", {self.office}" if self.office else ""
        return f"{self.name} ({self.role}{where})"
