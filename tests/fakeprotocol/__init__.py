"""A fake protocol app, installed in the test settings only (config/settings/test.py).

It registers one of each registry from its AppConfig.ready(), the way a real protocol app
(reviews, behaviour) does, and never edits another app: an entry kind, an audit action label,
a periodic job, a "Mijn acties" home provider, authorization-matrix rows and a benchmark.
tests/test_fake_protocol.py shows each is seen by the mechanism that reads it. (Letter templates
are registered on the engine-letters branch; this fake adds one once that registry exists.)
"""
