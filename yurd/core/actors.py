"""Who is acting: a user through the web, the API, a task, or the command line.

Every service and selector that reads or writes personal data takes an Actor, so the
access log and the change history name the same person whatever the channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from yurd.core.clientip import client_ip
from yurd.core.models import Channel

if TYPE_CHECKING:
    from django.http import HttpRequest

    from yurd.accounts.models import User

SYSTEM_USERNAME = "system"


@dataclass(frozen=True)
class Actor:
    user: User | None
    channel: str = Channel.WEB
    ip_address: str | None = None

    @property
    def username(self) -> str:
        return self.user.get_username() if self.user is not None else SYSTEM_USERNAME

    @property
    def is_system(self) -> bool:
        """The system operator at the command line: full rights, still logged."""
        return self.user is None


def actor_from_request(request: HttpRequest, *, channel: str = Channel.WEB) -> Actor:
    user = request.user if request.user.is_authenticated else None
    return Actor(user=user, channel=channel, ip_address=client_ip(request))


def system_actor(*, channel: str = Channel.CLI) -> Actor:
    return Actor(user=None, channel=channel)
