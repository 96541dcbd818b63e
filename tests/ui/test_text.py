"""How filters read in chart captions (dashapp.ui.text.describe)."""

from datetime import date

from dashapp.filters import Filters
from dashapp.ui.text import describe


def test_no_filters_is_all_time():
    assert describe(Filters()) == "all time"


def test_a_channel_filter_is_named_like_the_others():
    # A ?channel=Web link sets only the channel: its chip shows, so the caption says it too.
    assert describe(Filters(channels=("Web",))) == "all time · channel: Web"


def test_every_active_filter_in_the_order_of_the_chips():
    f = Filters(
        start=date(2024, 1, 1),
        end=date(2024, 1, 31),
        categories=("Motorcycles",),
        products=("BIKE", "CAR"),
        countries=("USA",),
        customers=(2, 9),
        statuses=("Shipped",),
        channels=("Web", "Phone"),
    )
    assert describe(f, {2: "Bolt"}) == (
        "1 Jan 2024 – 31 Jan 2024 · category: Motorcycles · product: BIKE, CAR · country: USA"
        " · customer: Bolt, #9 · status: Shipped · channel: Web, Phone"
    )
