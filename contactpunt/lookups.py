"""`field__any_of=[ids]`: one array parameter on PostgreSQL (`= ANY(%s)`) instead of one per id.

Hundreds of ids in an `IN (...)` cost more to build and send than the query takes to run; the
matching of one new candidate loads the links of a few hundred offers this way. Other databases
get the ordinary `IN`.
"""

from django.db import models
from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [value for value in self.rhs if value is not None]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)


def register() -> None:
    models.Field.register_lookup(AnyOf)
    models.ForeignKey.register_lookup(AnyOf)
