"""Acting accounts for the domain functions that take one (dashapp.orders)."""

from dashapp.auth import Account


def staff(username: str, role: str = "manager", user_id: int = 0) -> Account:
    """An account acting in a test; managers see and change every order."""
    return Account(user_id, username, role)
