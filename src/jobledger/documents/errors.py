from jobledger.core.errors import DomainError


class DocumentError(DomainError):
    """A document that cannot be made as asked; nothing was written."""
