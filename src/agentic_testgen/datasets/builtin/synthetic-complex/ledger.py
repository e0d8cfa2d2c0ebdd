"""A double-entry ledger with atomic transactions and rollback."""


class LedgerError(Exception):
    pass


class Ledger:
    def __init__(self, accounts):
        self.balances = {name: 0 for name in accounts}
        self.journal = []

    def _check(self, account):
        if account not in self.balances:
            raise LedgerError(f"unknown account {account}")

    def post(self, entries, memo=""):
        """Apply (account, amount) pairs that must sum to zero, all or nothing."""
        if not entries:
            raise LedgerError("empty transaction")
        if sum(amount for _, amount in entries) != 0:
            raise LedgerError("transaction does not balance")
        snapshot = dict(self.balances)
        try:
            for account, amount in entries:
                self._check(account)
                self.balances[account] += amount
                if account != "equity" and self.balances[account] < 0:
                    raise LedgerError(f"{account} would go negative")
        except LedgerError:
            self.balances = snapshot
            raise
        self.journal.append((memo, tuple(entries)))
        return len(self.journal)

    def balance(self, account):
        self._check(account)
        return self.balances[account]

    def trial_balance(self):
        return sum(self.balances.values())
