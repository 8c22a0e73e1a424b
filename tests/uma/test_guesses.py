"""Prompt-lookup guesses (uma/llm/llamacpp.Guesses): where a guess comes from. The engine only ever
checks guesses against the model's own choice (tests/uma/test_engine.py)."""

from uma.llm.llamacpp import Guesses


def test_an_answer_quoting_its_prompt_is_guessed_from_the_prompt():
    guessed = Guesses({1: [10, 11, 12, 13, 14, 15, 16]}, earlier=[])
    assert guessed.guess(1, [99, 12, 13], 3) == [14, 15, 16]
    assert guessed.guess(1, [99, 12, 13], 1) == [14]


def test_the_longest_matching_run_decides_and_the_latest_occurrence_wins():
    guessed = Guesses({1: [5, 6, 1, 7, 5, 6, 2, 8, 6, 3]}, earlier=[])
    assert guessed.guess(1, [5, 6], 1) == [2]  # "5 6" last seen before 2
    assert guessed.guess(1, [8, 6], 1) == [3]  # "8 6" beats the later-looking single "6"


def test_another_answer_of_the_same_call_or_the_last_call_leads():
    """Answers to one task share their shape: another candidate's answer predicts the JSON around the facts."""
    guessed = Guesses({1: [1, 2, 3, 40, 41], 2: [1, 2, 3, 40, 42]}, earlier=[[7, 8, 9]])
    guessed.guess(1, [20, 21, 22, 23], 2)  # answer 1 so far
    assert guessed.guess(2, [20, 21], 2) == [22, 23]
    assert guessed.guess(2, [7, 8], 1) == [9]  # from the last call's answers


def test_an_answer_repeating_itself_is_guessed_from_itself():
    guessed = Guesses({1: [1, 2]}, earlier=[])
    assert guessed.guess(1, [5, 6, 7, 5, 6], 2) == [7, 5]


def test_no_guess_without_a_match_or_room():
    guessed = Guesses({1: [1, 2, 3]}, earlier=[])
    assert guessed.guess(1, [9], 4) == []
    assert guessed.guess(1, [1, 2], 0) == []
