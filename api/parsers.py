"""The API's JSON parser: the project's bounded decoder (itsm.jsonbody) and the stored-text
rule (itsm.text) at the door, so a body nested 50,000 deep or a NUL anywhere in it is a
400 in the API's error shape, naming the field, before any serializer sees it."""

from rest_framework import exceptions, parsers

from itsm import jsonbody, text


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = jsonbody.decode(stream.read() if stream is not None else b"")
        except jsonbody.JSONBodyError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from None
        unstorable = text.unstorable_fields(data)
        if unstorable:
            raise exceptions.ValidationError({path: [why] for path, why in unstorable.items()})
        return data
