"""`backoffice users`: the people who may sign in to a deployed stack, through Cognito's admin APIs.

A new user gets an email from Cognito with a temporary password and chooses their own at first
sign-in. A role is a Cognito group (admin, staff, employee); an employee's `custom:employee_id` ties
them to their own cheques and is set here, never by the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ROLES = ("admin", "staff", "employee")


class UserError(ValueError):
    """A request the user pool cannot carry out, said in one line."""


@dataclass(frozen=True)
class User:
    email: str
    roles: list[str]
    employee_id: str | None
    status: str


@dataclass(frozen=True)
class Users:
    """The user pool of one stack."""

    cognito: Any
    pool_id: str

    def add(self, email: str, role: str, employee_id: str | None = None) -> User:
        if role not in ROLES:
            raise UserError(f"role must be one of {', '.join(ROLES)}")
        if (role == "employee") != bool(employee_id):
            raise UserError("an employee needs --employee-id, and only an employee has one")
        attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
        if employee_id:
            attributes.append({"Name": "custom:employee_id", "Value": employee_id})
        try:
            self.cognito.admin_create_user(
                UserPoolId=self.pool_id,
                Username=email,
                UserAttributes=attributes,
                DesiredDeliveryMediums=["EMAIL"],
            )
        except self.cognito.exceptions.UsernameExistsException:
            raise UserError(f"{email} already exists; remove them first to start again") from None
        self.cognito.admin_add_user_to_group(UserPoolId=self.pool_id, Username=email, GroupName=role)
        return self.get(email)

    def get(self, email: str) -> User:
        try:
            found = self.cognito.admin_get_user(UserPoolId=self.pool_id, Username=email)
        except self.cognito.exceptions.UserNotFoundException:
            raise UserError(f"no user {email}") from None
        return self._user(email, found["UserAttributes"], found["UserStatus"])

    def everyone(self) -> list[User]:
        users = []
        for page in self.cognito.get_paginator("list_users").paginate(UserPoolId=self.pool_id):
            for found in page["Users"]:
                attributes = found.get("Attributes", [])
                email = next((a["Value"] for a in attributes if a["Name"] == "email"), found["Username"])
                users.append(self._user(found["Username"], attributes, found["UserStatus"], email))
        return sorted(users, key=lambda u: u.email)

    def remove(self, email: str) -> None:
        try:
            self.cognito.admin_delete_user(UserPoolId=self.pool_id, Username=email)
        except self.cognito.exceptions.UserNotFoundException:
            raise UserError(f"no user {email}") from None

    def _user(
        self, username: str, attributes: list[dict[str, str]], status: str, email: str | None = None
    ) -> User:
        values = {a["Name"]: a["Value"] for a in attributes}
        groups = self.cognito.admin_list_groups_for_user(UserPoolId=self.pool_id, Username=username)
        roles = sorted(g["GroupName"] for g in groups["Groups"])
        return User(email or values.get("email", username), roles, values.get("custom:employee_id"), status)
