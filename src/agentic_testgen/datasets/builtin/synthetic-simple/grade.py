"""Letter grades from percentages."""


def letter(score):
    if not 0 <= score <= 100:
        raise ValueError("score must be between 0 and 100")
    if score >= 90:
        return "A"
    if score >= 80:
        return "B"
    if score >= 70:
        return "C"
    if score >= 60:
        return "D"
    return "F"


def average_letter(scores):
    if not scores:
        raise ValueError("no scores")
    return letter(sum(scores) / len(scores))
