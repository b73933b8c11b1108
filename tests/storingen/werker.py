"""A worker process that a test kills mid-way: `python -m tests.storingen.werker URL MOMENT TAAK ...`.

It runs the portal on the test database at the virtual moment MOMENT (ISO), does TAAK and, at the point a
test wants to kill it, prints a line ("opgeslagen <id>" after storing an upload, "geclaimd <id>" after
claiming a planned action) and then blocks until it is killed:

- `upload EMAIL CODE BESTAND`: the user sends the WMO407 in BESTAND to gemeente CODE;
- `tick`: one planner tick.
"""
from __future__ import annotations

import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any


def _blokkeer(regel: str) -> None:
    print(regel, flush=True)
    threading.Event().wait()  # until the test kills this process


def main(argv: list[str]) -> None:
    from portal import create_app
    from portal.extensions import db
    from portal.services import delivery, planner, storage
    from portal.services.audit import Actor
    from portal.services.klok import FixedClock
    from tests.conftest import TEST_SECRET

    url, moment, taak, *rest = argv
    app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": url,
                      "PORTAL_MODE": "ontwikkeling", "CLOCK": FixedClock(datetime.fromisoformat(moment))})
    with app.app_context():
        if taak == "upload":
            email, code, pad = rest
            bewaar = storage.bewaar_ontvangst

            def bewaar_en_blokkeer(**kwargs: Any) -> Any:
                ontvangst = bewaar(**kwargs)
                _blokkeer(f"opgeslagen {ontvangst.id}")
                return ontvangst

            storage.bewaar_ontvangst = bewaar_en_blokkeer  # type: ignore[assignment]
            from sqlalchemy import select

            from portal.models import User
            user = db.session.scalar(select(User).where(User.email == email))
            delivery.ontvang_wmo407(Actor(user=user), code, Path(pad).name, Path(pad).read_bytes())
        elif taak == "tick":
            claim = planner._claim

            def claim_en_blokkeer(actie_id: int, eigenaar: str) -> bool:
                gelukt = claim(actie_id, eigenaar)
                if gelukt:
                    _blokkeer(f"geclaimd {actie_id}")
                return gelukt

            planner._claim = claim_en_blokkeer  # type: ignore[assignment]
            planner.tick()
        print("klaar", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
