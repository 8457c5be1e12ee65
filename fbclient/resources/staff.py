"""Staff: ``/accounting/account/{account_id}/users/staffs`` (deprecated by FreshBooks)."""

from __future__ import annotations

from typing import ClassVar

from ..models.staff import StaffMember
from ..scopes import Access
from ._base import AccountingEditor

__all__ = ["Staff"]


class Staff(AccountingEditor[StaffMember]):
    """List, get, update and delete (PUT vis_state=1) staff; FreshBooks has no create here,
    so this class has none. Team members (``/auth/api/v1/.../team_members``) replace staff,
    but expenses' ``staffid`` still refers to these ids.

    Search keys: ``userids`` (list), ``user_like``, ``email_like``, ``note_like``,
    ``phone_like``.
    """

    scopes: ClassVar[Access] = Access("teams")

    path: ClassVar[str] = "users/staffs"
    singular: ClassVar[str] = "staff"
    plural: ClassVar[str] = "staffs"
    model = StaffMember
