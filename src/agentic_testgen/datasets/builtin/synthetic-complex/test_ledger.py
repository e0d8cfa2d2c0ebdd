import pytest
from ledger import Ledger, LedgerError


def test_balanced_transaction_moves_money():
    ledger = Ledger(["cash", "equity"])
    ledger.post([("cash", 100), ("equity", -100)], memo="capital")
    assert ledger.balance("cash") == 100
    assert ledger.trial_balance() == 0


def test_unbalanced_transaction_is_refused():
    ledger = Ledger(["cash", "equity"])
    with pytest.raises(LedgerError):
        ledger.post([("cash", 10)])


def test_failed_transaction_rolls_back_everything():
    ledger = Ledger(["cash", "rent", "equity"])
    ledger.post([("cash", 50), ("equity", -50)])
    with pytest.raises(LedgerError):
        ledger.post([("rent", 80), ("cash", -80)])
    assert ledger.balance("cash") == 50
    assert ledger.balance("rent") == 0
