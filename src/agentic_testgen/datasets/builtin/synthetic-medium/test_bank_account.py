import pytest
from bank_account import Account, InsufficientFundsError


def test_deposit_and_withdraw_update_balance():
    account = Account("ada")
    account.deposit(100)
    assert account.withdraw(30) == 70


def test_overdraft_allows_negative_balance_up_to_limit():
    account = Account("ada", overdraft_limit=50)
    assert account.withdraw(50) == -50
    with pytest.raises(InsufficientFundsError):
        account.withdraw(1)


def test_transfer_moves_money():
    ada, bob = Account("ada"), Account("bob")
    ada.deposit(10)
    ada.transfer(bob, 10)
    assert (ada.balance, bob.balance) == (0, 10)


def test_statement_lists_transactions():
    account = Account("ada")
    account.deposit(5)
    assert account.statement() == ["deposit: 5"]
