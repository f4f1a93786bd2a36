"""The HTTP/1.1 client of the CalDAV backend: kept-alive connections, a per-host limit.

Every item operation of a sync is one small request, so what the client costs per request
is what a push costs per item. This client is :mod:`http.client` and little else: a pool of
keep-alive connections per origin (scheme, host, port), shared by the threads of a
concurrent push, with at most :attr:`HttpClient.limit` requests to one origin at a time;
preemptive Basic or Bearer authentication; TLS verified by default; the proxy from the
environment (``https_proxy``, ``http_proxy``, ``no_proxy``), as :mod:`urllib.request`
reads it; the cookies a server sets sent back to it alone (a session cookie spares a server
checking the password on every request); answers read whole up to a size cap; redirects
returned, never followed.

When a server answers 429 or 503, the per-host limit halves (down to one request at a
time); each run of successful answers as long as the limit raises it by one again, up to
the limit asked for: additive increase, multiplicative decrease, as TCP does.

Errors are :class:`~libkurs.errors.TransportError` (the connection failed or timed out:
worth retrying) and :class:`~libkurs.errors.CalendarError` (an answer too large). Their
messages never hold a credential: the client knows the secrets it was given and takes
them out of every message it makes.
"""

from __future__ import annotations

import base64
import contextlib
import email.utils
import http.client
import http.cookies
import logging
import os
import ssl
import threading
import warnings
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import attrs

from libkurs.errors import CalendarError, TransportError

__all__ = ["HttpClient", "InsecureConnectionWarning", "Response", "is_loopback", "origin_of"]

_log = logging.getLogger("libkurs.sync")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_READ_SIZE = 256 * 1024
_LOOPBACK = frozenset({"localhost", "::1"})  # and 127.0.0.0/8
_MAX_COOKIES = 50  # per origin: a server that sets more gets the first ones back
# The errors that mean "the connection failed", whatever failed in it.
_CONNECTION_ERRORS = (OSError, http.client.HTTPException)


class InsecureConnectionWarning(UserWarning):
    """A TLS connection is made without checking the server's certificate (``verify=False``)."""


@attrs.frozen(kw_only=True)
class Response:
    """A server's answer, read whole (up to a size cap)."""

    status_code: int
    reason: str
    headers: Mapping[str, str]
    content: bytes


class _Headers(dict[str, str]):
    """Response headers, looked up whatever the case of the name."""

    def __init__(self, headers: Iterable[tuple[str, str]]) -> None:
        super().__init__()
        for name, value in headers:
            key = name.lower()
            self[key] = f"{self[key]}, {value}" if key in self else value

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override] # any case of the name
        return super().get(key.lower(), default)


Origin = tuple[str, str, int]


class _Limit:
    """How many requests may go to one origin at once, lowered on 429/503 and raised again."""

    def __init__(self, ceiling: int) -> None:
        self.ceiling = ceiling
        self.current = ceiling
        self._busy = 0
        self._successes = 0
        self._condition = threading.Condition()

    def acquire(self) -> None:
        with self._condition:
            while self._busy >= self.current:
                self._condition.wait()
            self._busy += 1

    def release(self, status: int | None) -> None:
        with self._condition:
            self._busy -= 1
            if status in {429, 503}:
                lowered = max(1, self.current // 2)
                if lowered < self.current:
                    _log.info("server busy (%s): %d requests at a time", status, lowered)
                self.current = lowered
                self._successes = 0
            elif status is not None and status < 500:
                self._successes += 1
                if self._successes >= self.current and self.current < self.ceiling:
                    self.current += 1
                    self._successes = 0
            self._condition.notify_all()


class HttpClient:
    """Requests over a pool of kept-alive :mod:`http.client` connections; thread-safe.

    Args:
        username: For Basic authentication (with *password*), sent with every request.
        password: For Basic authentication.
        token: A bearer token, instead of a user name and password.
        verify: Check the server's TLS certificate (True), against a CA bundle (a path), or not.
        timeout: Seconds to wait to connect, and for each read of an answer.
        max_response_size: The largest answer read, in bytes.
        limit: The most requests to one origin at once (and so the most connections kept).
        user_agent: The ``User-Agent`` header.
        secrets: Strings never to show in a message (the password in its encoded forms).
    """

    def __init__(
        self,
        *,
        username: str | None,
        password: str | None,
        token: str | None,
        verify: bool | str,
        timeout: float,
        max_response_size: int,
        limit: int = 1,
        user_agent: str,
        secrets: Iterable[str] = (),
    ) -> None:
        self._authorization: str | None = None
        if token:
            self._authorization = f"Bearer {token}"
        elif username is not None:
            pair = f"{username}:{password or ''}".encode()
            self._authorization = "Basic " + base64.b64encode(pair).decode("ascii")
        self._verify = verify
        self._timeout = timeout
        self._max_response_size = max_response_size
        self._user_agent = user_agent
        self._secrets = tuple(secret for secret in secrets if secret)
        self._ceiling = max(1, limit)
        self._lock = threading.Lock()
        self._idle: dict[Origin, list[http.client.HTTPConnection]] = {}
        self._limits: dict[Origin, _Limit] = {}
        self._context: ssl.SSLContext | None = None
        self._cookies: dict[Origin, dict[str, str]] = {}
        self._requests = 0

    @property
    def requests(self) -> int:
        """How many requests have been answered."""
        return self._requests

    @property
    def limit(self) -> int:
        """The most requests sent to one origin at once."""
        return self._ceiling

    @limit.setter
    def limit(self, value: int) -> None:
        with self._lock:
            self._ceiling = max(1, value)
            for each in self._limits.values():
                each.ceiling = self._ceiling
                each.current = min(max(each.current, 1), self._ceiling)

    def current_limit(self, url: str) -> int:
        """How many requests to *url*'s origin may go at once now (lowered after 429/503)."""
        with self._lock:
            found = self._limits.get(origin_of(url))
        return found.current if found is not None else self._ceiling

    def close(self) -> None:
        """Close every idle connection (a connection in use is closed when its answer is read)."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()

    def scrub(self, message: str) -> str:
        """*message* without any secret this client was given."""
        for secret in self._secrets:
            message = message.replace(secret, "***")
        return message

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Send one request and read the whole answer; no retry beyond a stale connection.

        A kept-alive connection the server closed while it was idle fails before anything
        is answered; the request is then sent once more on a new connection (the server
        never saw it). Any other failure is a :class:`TransportError`.
        """
        parts = urlsplit(url)
        origin = origin_of(url)
        if origin[0] not in _DEFAULT_PORTS or not origin[1] or not origin[2]:
            raise CalendarError("not an http:// or https:// URL", href=_safe(url))
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        all_headers = {"User-Agent": self._user_agent, "Accept-Encoding": "identity"}
        if self._authorization is not None:
            all_headers["Authorization"] = self._authorization
        with self._lock:
            jar = self._cookies.get(origin)
            if jar:
                all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        all_headers.update(headers or {})
        if body or method in {"PUT", "POST", "PROPFIND", "REPORT"}:
            all_headers["Content-Length"] = str(len(body))
        limit = self._limit(origin)
        limit.acquire()
        status: int | None = None
        try:
            response = self._exchange(
                origin, method=method, url=url, target=target, body=body, headers=all_headers
            )
            status = response.status_code
        finally:
            limit.release(status)
        with self._lock:
            self._requests += 1
        return response

    # -- connections ---------------------------------------------------------------------------

    def _limit(self, origin: Origin) -> _Limit:
        with self._lock:
            found = self._limits.get(origin)
            if found is None:
                found = self._limits[origin] = _Limit(self._ceiling)
            return found

    def _exchange(
        self,
        origin: Origin,
        *,
        method: str,
        url: str,
        target: str,
        body: bytes,
        headers: Mapping[str, str],
    ) -> Response:
        for _ in range(2):
            connection, reused = self._connection(origin)
            proxied_target = target
            if getattr(connection, "_libkurs_forward", False):
                proxied_target = f"{origin[0]}://{_netloc(origin)}{target}"
            try:
                connection.request(method, proxied_target, body=body, headers=dict(headers))
                answer = connection.getresponse()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                connection.close()
                if reused:
                    _log.debug("%s %s: the server closed the idle connection; again", method, url)
                    continue
                raise self._transport_error(method, url, error) from error
            except _CONNECTION_ERRORS as error:
                connection.close()
                raise self._transport_error(method, url, error) from error
            self._keep_cookies(origin, answer.msg.get_all("Set-Cookie") or [])
            try:
                response = self._read(answer, url)
            except _CONNECTION_ERRORS as error:
                connection.close()
                raise self._transport_error(method, url, error) from error
            except CalendarError:
                connection.close()
                raise
            if answer.will_close:
                connection.close()
            else:
                with self._lock:
                    self._idle.setdefault(origin, []).append(connection)
            _log.debug("%s %s -> %s", method, url, response.status_code)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _connection(self, origin: Origin) -> tuple[http.client.HTTPConnection, bool]:
        with self._lock:
            idle = self._idle.get(origin)
            if idle:
                return idle.pop(), True
        return self._connect(origin), False

    def _connect(self, origin: Origin) -> http.client.HTTPConnection:
        scheme, host, port = origin
        proxy = _proxy_for(scheme, host)
        connection: http.client.HTTPConnection
        if scheme == "https" and self._verify is False:
            warnings.warn(
                f"Unverified HTTPS connection to {host}: its certificate is not checked "
                "(verify=False), so anyone on the way can read and change what is sent",
                InsecureConnectionWarning,
                stacklevel=2,
            )
        if proxy is None:
            if scheme == "https":
                connection = http.client.HTTPSConnection(
                    host, port, timeout=self._timeout, context=self._ssl_context()
                )
            else:
                connection = http.client.HTTPConnection(host, port, timeout=self._timeout)
            return connection
        proxy_parts = urlsplit(proxy)
        proxy_host = proxy_parts.hostname or ""
        proxy_port = proxy_parts.port or _DEFAULT_PORTS.get(proxy_parts.scheme.lower(), 80)
        proxy_headers: dict[str, str] = {}
        if proxy_parts.username is not None:
            pair = f"{unquote(proxy_parts.username)}:{unquote(proxy_parts.password or '')}"
            proxy_headers["Proxy-Authorization"] = "Basic " + base64.b64encode(
                pair.encode()
            ).decode("ascii")
        if scheme == "https":
            connection = http.client.HTTPSConnection(
                proxy_host, proxy_port, timeout=self._timeout, context=self._ssl_context()
            )
            connection.set_tunnel(host, port, headers=proxy_headers)
        else:
            connection = _ForwardingConnection(
                proxy_host, proxy_port, timeout=self._timeout, proxy_headers=proxy_headers
            )
        return connection

    def _ssl_context(self) -> ssl.SSLContext:
        if self._context is None:
            if self._verify is False:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            elif isinstance(self._verify, str):
                try:
                    context = ssl.create_default_context(cafile=self._verify)
                except (OSError, ssl.SSLError) as error:
                    raise CalendarError(
                        f"cannot read the CA bundle: {error.strerror or error}",
                        href=self._verify,
                    ) from None
            else:
                context = ssl.create_default_context()
            self._context = context
        return self._context

    # -- answers -------------------------------------------------------------------------------

    def _keep_cookies(self, origin: Origin, headers: list[str]) -> None:
        """Keep the cookies a server sets, to send back to it (and to nothing else).

        A session cookie spares servers such as Nextcloud checking the password again on
        every request. Cookies are kept per origin, for this client's life only; a cookie
        with ``Max-Age=0`` or an ``Expires`` in the past is dropped.
        """
        if not headers:
            return
        found = http.cookies.SimpleCookie()
        for header in headers:
            with contextlib.suppress(http.cookies.CookieError):
                found.load(header)
        with self._lock:
            jar = self._cookies.setdefault(origin, {})
            for name, morsel in found.items():
                if _expired(morsel):
                    jar.pop(name, None)
                elif len(jar) < _MAX_COOKIES or name in jar:
                    jar[name] = morsel.coded_value

    def _read(self, answer: http.client.HTTPResponse, url: str) -> Response:
        """The whole of *answer*, or a :class:`CalendarError` when it is too large."""
        try:
            declared = int(answer.getheader("Content-Length") or 0)
        except ValueError:
            declared = 0
        cap = self._max_response_size
        if declared > cap:
            raise CalendarError(
                f"the server's answer is larger than {cap} bytes; not read",
                href=_safe(url),
                status=answer.status,
            )
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = answer.read(min(_READ_SIZE, cap + 1 - size) if size <= cap else 1)
            if not chunk:
                break
            size += len(chunk)
            if size > cap:
                raise CalendarError(
                    f"the server's answer is larger than {cap} bytes; not read",
                    href=_safe(url),
                    status=answer.status,
                )
            chunks.append(chunk)
        return Response(
            status_code=answer.status,
            reason=answer.reason or "",
            headers=_Headers(answer.getheaders()),
            content=b"".join(chunks),
        )

    def _transport_error(self, method: str, url: str, error: BaseException) -> TransportError:
        if isinstance(error, TimeoutError):
            return TransportError(f"{method} timed out after {self._timeout} s", href=_safe(url))
        detail = str(error) or type(error).__name__
        if isinstance(error, ssl.SSLError):
            detail = f"SSL: {error.reason or error}"
        return TransportError(
            self.scrub(f"{method} failed: {type(error).__name__}: {detail}"), href=_safe(url)
        )


class _ForwardingConnection(http.client.HTTPConnection):
    """A plain-http connection to a forwarding proxy: absolute URLs, the proxy's credentials."""

    _libkurs_forward = True

    def __init__(
        self, host: str, port: int, *, timeout: float, proxy_headers: Mapping[str, str]
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self._proxy_headers = dict(proxy_headers)

    def request(  # type: ignore[override] # the same call, typed for the bytes libkurs sends
        self, method: str, url: str, body: bytes | None = None, headers: Mapping[str, str] = {}
    ) -> None:
        super().request(method, url, body=body, headers={**self._proxy_headers, **headers})


def _expired(morsel: http.cookies.Morsel[str]) -> bool:
    age = morsel["max-age"].strip()
    if age:
        return age.lstrip("-").isdigit() and int(age) <= 0
    expires = morsel["expires"].strip()
    if not expires:
        return False
    try:
        when = email.utils.parsedate_to_datetime(expires)
    except (TypeError, ValueError, IndexError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when <= datetime.now(UTC)


def _proxy_for(scheme: str, host: str) -> str | None:
    """The proxy URL the environment gives for *scheme* and *host*, or None."""
    if is_loopback(host):
        return None  # this machine is never reached through a proxy
    names = {f"{scheme}_proxy", "all_proxy"}
    if not any(name.lower() in names for name in os.environ):
        return None  # no proxy: urllib.request (slow to import) is not needed
    import urllib.request

    proxy = urllib.request.getproxies().get(scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def is_loopback(host: str) -> bool:
    """Whether *host* (lower case, without brackets) names this machine."""
    return host in _LOOPBACK or host.startswith("127.")


def origin_of(url: str) -> Origin:
    """Scheme, host and port of *url*, the port filled in (0 when it is not a number)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        port = 0
    return scheme, (parts.hostname or "").lower(), port


def _netloc(origin: Origin) -> str:
    scheme, host, port = origin
    shown = f"[{host}]" if ":" in host else host
    return shown if port == _DEFAULT_PORTS[scheme] else f"{shown}:{port}"


def _safe(url: str) -> str:
    """*url* without user information or query, for a message."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None else f"{host}:{port}"
    return f"{parts.scheme}://{netloc}{parts.path}"
