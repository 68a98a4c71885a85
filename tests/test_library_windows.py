"""How many articles the library stores per transaction: more as the saved state grows."""

from storyline.library import ORDER_WINDOW, STATE_BYTES_PER_ARTICLE, window_size


def test_a_small_state_is_saved_every_order_window():
    assert window_size(0) == ORDER_WINDOW
    assert window_size(ORDER_WINDOW * STATE_BYTES_PER_ARTICLE) == ORDER_WINDOW


def test_a_large_state_is_saved_once_per_its_share_of_articles():
    # 25 MB of state (about 20,000 articles remembered) is saved once per ~780 articles
    assert window_size(25_000_000) == 25_000_000 // STATE_BYTES_PER_ARTICLE > 6 * ORDER_WINDOW
