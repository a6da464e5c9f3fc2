class DomainError(Exception):
    """A business rule refused an action; the message is written for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionRefused(DomainError):
    """The acting user's role does not allow this action."""
