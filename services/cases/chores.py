"""What `ctxh worker` does on a timer for the cases service (shared.chores)."""

from services.cases.casework.deadlines import escalate_overdue
from services.cases.settings import CasesSettings
from shared.chores import Chore


def chores(settings: CasesSettings) -> list[Chore]:
    return [
        Chore(
            "escalate_referrals",
            settings.referral_escalation_interval_seconds,
            lambda connection: escalate_overdue(connection),
        )
    ]
