"""Het geheugenbeheer van Python tijdens het omzetten en beoordelen van een groot bericht."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def zonder_cyclische_gc() -> Iterator[None]:
    """Zet de cyclische garbage collector uit zolang het blok loopt, en daarna weer aan als hij aan stond.

    Een bericht van tienduizenden cliënten wordt honderdduizenden kleine objecten (dataclasses,
    tuples). Die maken geen kringen; toch loopt de collector telkens over al die objecten (en over
    alles wat het proces verder bevat), wat het omzetten en beoordelen merkbaar trager maakt. Gewone
    referentietelling ruimt alles op zoals altijd; kringen die in het blok ontstaan, ruimt de
    collector daarna op.
    """
    stond_aan = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if stond_aan:
            gc.enable()
