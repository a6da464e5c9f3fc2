"""Reading the Distribution grid a person posts: account code, amount and memo per row."""

from dataclasses import dataclass

from django.http import QueryDict

from jobledger.core.money import parse_money
from jobledger.ledger.models import GLAccount
from jobledger.ledger.services import DistributionError, DistributionInput

MOST_ROWS = 200


@dataclass(frozen=True)
class GridRow:
    code: str
    name: str
    amount: str
    memo: str


def posted_rows(data: QueryDict) -> list[GridRow]:
    """The rows as typed, blank ones dropped, so a refused save can show them again."""
    count = data.get("row_count", "0")
    if not count.isdigit() or int(count) > MOST_ROWS:
        raise DistributionError(f"A distribution holds at most {MOST_ROWS} rows.")
    rows = []
    for index in range(int(count)):
        code = data.get(f"rows-{index}-code", "").strip()
        amount = data.get(f"rows-{index}-amount", "").strip()
        memo = data.get(f"rows-{index}-memo", "").strip()
        if code or amount or memo:
            rows.append(GridRow(code, data.get(f"rows-{index}-name", ""), amount, memo))
    return rows


def distribution_inputs(rows: list[GridRow]) -> list[DistributionInput]:
    """Each row's account looked up by its code and its amount parsed; the first bad row
    is named in the refusal."""
    accounts = {
        account.code.upper(): account
        for account in GLAccount.objects.filter(code__in=[row.code for row in rows])
    }
    found = []
    for number, row in enumerate(rows, start=1):
        account = accounts.get(row.code.upper())
        if account is None:
            raise DistributionError(f"Row {number}: no GL account has the code “{row.code}”.")
        if not row.amount:
            raise DistributionError(f"Row {number}: type the amount for account {account.code}.")
        try:
            amount = parse_money(row.amount)
        except ValueError as error:
            raise DistributionError(f"Row {number}: {error}") from None
        found.append(DistributionInput(account=account, amount=amount, memo=row.memo[:200]))
    return found
