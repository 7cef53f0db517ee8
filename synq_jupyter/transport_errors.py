"""Why an HTTP request got no answer, in words, rather than urllib3's nested repr: for the
server calling a cloud (IonQ, IBM) and for the kernel calling the server."""

from __future__ import annotations

from collections.abc import Iterator


def no_answer(exc: BaseException) -> str:
    """``"the host name api.ionq.co does not resolve (no network, or DNS is down)"`` for a
    requests or urllib3 error that got no answer; ``str(exc)`` for any other."""
    import socket
    import ssl

    from urllib3 import exceptions as u3

    chain = list(_chain(exc))
    pools = [e.pool for e in chain if isinstance(e, u3.MaxRetryError) and e.pool is not None]
    host = getattr(pools[0], "host", None) if pools else None
    server = host or "the server"

    def first(*kinds: type[BaseException]) -> BaseException | None:
        return next((e for e in chain if isinstance(e, kinds)), None)

    if first(u3.NameResolutionError, socket.gaierror):
        where = f" {host}" if host else ""
        return f"the host name{where} does not resolve (no network, or DNS is down)"
    if first(ConnectionRefusedError):
        return f"{server} refused the connection"
    if first(u3.ReadTimeoutError):
        return f"{server} did not answer in time"
    timed_out = first(u3.ConnectTimeoutError, socket.timeout)
    if timed_out is not None and not isinstance(timed_out, u3.NewConnectionError):
        return f"connecting to {server} timed out"
    if (tls := first(u3.SSLError, ssl.SSLError)) is not None:
        return f"the TLS connection to {server} failed: {tls}"
    if (failed := first(OSError)) is not None and not isinstance(failed, u3.HTTPError):
        return f"cannot connect to {server}: {failed}"
    return str(exc)


def refused(exc: BaseException) -> bool:
    """Whether nothing listened where the request went (the server is not running)."""
    return any(isinstance(e, ConnectionRefusedError) for e in _chain(exc))


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every error inside it: causes, contexts, urllib3's ``reason`` and the
    errors requests wraps in its arguments."""
    pending, seen = [exc], set()
    while pending:
        error = pending.pop(0)
        if id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        inner = [error.__cause__, error.__context__, getattr(error, "reason", None)]
        inner += [a for a in error.args if isinstance(a, BaseException)]
        pending += [e for e in inner if isinstance(e, BaseException)]
