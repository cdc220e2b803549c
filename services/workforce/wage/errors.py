"""Problems specific to wage references."""

from shared.errors import Conflict


class WageRateExists(Conflict):
    code = "wage_rate_exists"
    title = "A rate of this kind and region already starts on that date"
