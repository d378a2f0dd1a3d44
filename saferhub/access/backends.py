"""Authentication backend that grants Django model permissions by role, not by group.

Only Django's admin asks for model permissions, and the admin is for CSP
administrators alone, so the whole rule is: CSP administrators have them,
nobody else does (whatever their is_staff or is_superuser flags say).
"""

from django.contrib.auth.backends import ModelBackend

from saferhub.access.permissions import Action, can


class RoleBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return can(user_obj, Action.ADMINISTER)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return can(user_obj, Action.ADMINISTER)

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        return set()
