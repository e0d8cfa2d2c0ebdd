"""The calibration set is data for `atg`, not part of this suite: pytest collects none of it."""

collect_ignore_glob = ["*/*.py"]
