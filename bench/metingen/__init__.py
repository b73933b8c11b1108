"""One module per measure; each exposes ``meet(omgeving) -> Iterator[kader.Resultaat]`` (see bench/README.md)."""

# The order in which `make bench` runs them: the quick core measures first, the web last.
VOLGORDE = ("wmo407", "spreadsheets", "web")
