from actions.chat_text import for_chat


def test_lines_keep_their_breaks_and_paragraphs_stay_in_one_message():
    text = for_chat("GRIEVANCE\nMember: [your name]\n\nWhat happened\nMy last appointment...\n")
    assert "\n\n" not in text  # Rasa would split the message there
    assert text.split("  \n") == [
        "GRIEVANCE",
        "Member: [your name]",
        "\u00a0",
        "What happened",
        "My last appointment...",
    ]
