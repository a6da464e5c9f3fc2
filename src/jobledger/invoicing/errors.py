from jobledger.core.errors import DomainError


class InvoiceError(DomainError):
    pass
