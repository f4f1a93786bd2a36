"""Addresses in several languages; enrolment deadlines known only to the day."""

from datetime import date, datetime

import pytest

from libkurs import HELSINKI, Address, EnrolmentSettings, LocalizedText
from libkurs.errors import ValidationError


def test_an_address_takes_localized_street_and_town():
    """A Finnish reader gets the Finnish street and town, a Swedish reader the Swedish ones."""
    address = Address(
        street=LocalizedText({"sv": "Alexandersgatan 1", "fi": "Aleksanterinkatu 1"}),
        locality=LocalizedText({"sv": "Helsingfors", "fi": "Helsinki"}),
        region=LocalizedText({"sv": "Nyland", "fi": "Uusimaa"}),
    )
    assert (address.street.best("fi"), address.locality.best("fi")) == (
        "Aleksanterinkatu 1",
        "Helsinki",
    )
    assert address.region.best("sv") == "Nyland"


def test_an_address_still_takes_plain_strings_as_text_of_no_known_language():
    """A plain string, as before, is kept for every language (tag 'und')."""
    address = Address(street="Kungsgatan 1", locality="Borgå")
    assert address.street == LocalizedText({"und": "Kungsgatan 1"})
    assert address.locality.best("fi") == "Borgå"


@pytest.mark.parametrize(("field", "value"), [("street", ""), ("locality", 3), ("region", "\x00")])
def test_a_bad_address_part_is_refused_naming_the_field(field, value):
    """An empty string, a number or a control character names the address field."""
    with pytest.raises(ValidationError) as caught:
        Address(**{field: value})
    assert caught.value.path == field


def test_a_deadline_known_only_to_the_day_closes_at_the_end_of_that_day():
    """ "Sista anmälningsdag 7.3.2023": open all of 7 March, closed from the midnight after."""
    closes = EnrolmentSettings.closing_day(date(2023, 3, 7), HELSINKI)
    settings = EnrolmentSettings(closes=closes, closes_whole_day=True)
    assert settings.closes == datetime(2023, 3, 8, tzinfo=HELSINKI)
    assert settings.last_day == date(2023, 3, 7)


def test_a_deadline_with_a_clock_time_has_that_day_as_its_last():
    """A deadline at 16.00 on 7 March has 7 March as its last day."""
    settings = EnrolmentSettings(closes=datetime(2023, 3, 7, 16, tzinfo=HELSINKI))
    assert settings.last_day == date(2023, 3, 7)
    assert not settings.closes_whole_day


def test_a_whole_day_deadline_not_at_midnight_or_without_closes_is_refused():
    """The flag needs closes, at the midnight after the day."""
    with pytest.raises(ValidationError) as caught:
        EnrolmentSettings(closes=datetime(2023, 3, 7, 16, tzinfo=HELSINKI), closes_whole_day=True)
    assert caught.value.path == "closes"
    with pytest.raises(ValidationError) as caught:
        EnrolmentSettings(closes_whole_day=True)
    assert caught.value.path == "closes_whole_day"
