import datetime

import factory
from django.utils import timezone

from protocols.registry import REVIEW
from protocols.services import start_case_version
from reviews.models import ReviewMeeting, ReviewRound


class ReviewRoundFactory(factory.django.DjangoModelFactory):
    """Round 1 of the year unless told otherwise; an existing round with that number is reused, so a
    factory meeting and a round planned through the service never clash on the year's numbering."""

    class Meta:
        model = ReviewRound
        django_get_or_create = ("school_year", "number")

    school_year = None  # required: ReviewRoundFactory(school_year=…)
    school = factory.LazyAttribute(lambda o: o.school_year.school)
    number = 1


class ReviewMeetingFactory(factory.django.DjangoModelFactory):
    """ReviewMeetingFactory(group=…, leader=mentor, chair=care coordinator)."""

    class Meta:
        model = ReviewMeeting

    group = None
    school = factory.LazyAttribute(lambda o: o.group.school)
    round = factory.LazyAttribute(lambda o: ReviewRoundFactory(school_year=o.group.school_year))
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))
    protocol_version = factory.LazyAttribute(lambda o: start_case_version(school=o.school, protocol=REVIEW))
