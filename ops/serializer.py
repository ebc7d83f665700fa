"""Django's JSON serializer with exact times: DjangoJSONEncoder cuts microseconds to milliseconds, which
would change every restored timestamp (and the audit chain hashes what it stored). Registered as
"exactjson" (SERIALIZATION_MODULES); the backup's dump is database.exactjson."""

import datetime

from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactEncoder)
        super()._init_options()


Deserializer = JSONDeserializer
