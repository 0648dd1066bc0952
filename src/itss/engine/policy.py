"""A policy: which reading of each ambiguous passage of the sources to take."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

# Ambiguities that are not attached to one rule but to how numbers are read everywhere.
GLOBAL_AMBIGUITIES: dict[str, tuple[str, ...]] = {
    # "15人以上35人未満": does the upper bound exclude larger engagements? Default: no, a larger
    # engagement is "equivalent to the size of level N or above" (the sources' own phrase).
    "size-upper-bounds": ("open", "literal"),
}


class Policy(BaseModel):
    """Selected readings by ambiguity id; what is not named takes the default reading."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str = "itss-policy/1"
    name: str = "default"
    readings: dict[str, str] = {}

    def reading(self, ambiguity: str) -> str | None:
        return self.readings.get(ambiguity)

    @property
    def literal_upper_bounds(self) -> bool:
        return self.readings.get("size-upper-bounds") == "literal"


DEFAULT_POLICY = Policy()
