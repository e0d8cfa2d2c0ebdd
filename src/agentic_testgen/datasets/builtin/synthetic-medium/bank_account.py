"""A bank account with an overdraft limit and a transaction log."""


class InsufficientFundsError(Exception):
    pass


class Account:
    def __init__(self, owner, overdraft_limit=0):
        if overdraft_limit < 0:
            raise ValueError("overdraft limit must not be negative")
        self.owner = owner
        self.overdraft_limit = overdraft_limit
        self.balance = 0
        self.history = []

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self.history.append(("deposit", amount))
        return self.balance

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("withdrawal must be positive")
        if self.balance - amount < -self.overdraft_limit:
            raise InsufficientFundsError(f"{self.owner} cannot withdraw {amount}")
        self.balance -= amount
        self.history.append(("withdraw", amount))
        return self.balance

    def transfer(self, other, amount):
        self.withdraw(amount)
        other.deposit(amount)

    def statement(self):
        return [f"{kind}: {amount}" for kind, amount in self.history]
