"""A TCP forwarder on loopback whose connection can be cut and restored, in its own thread.

Tests put it in front of the real Rasa (Rasa "down" and "back") or of the real web app
(the widget's connection dropped), so that everything behind it stays real.
"""
from __future__ import annotations

import selectors
import socket
import threading
from typing import List, Optional, Set


class TcpProxy:
    """Forwards 127.0.0.1:<port> to `target_port`; while cut, refuses and drops every connection."""

    def __init__(self, target_port: int, port: int = 0) -> None:
        self.target_port = target_port
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", port))
        self.port = self._server.getsockname()[1]
        self._cut = False
        self._lock = threading.Lock()
        self._pairs: Set[socket.socket] = set()
        self._stopped = False
        self._threads: List[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "TcpProxy":
        """Listen and forward."""
        self._server.listen(64)
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def cut(self) -> None:
        """Drop every open connection and refuse new ones until `restore`."""
        with self._lock:
            self._cut = True
            for sock in list(self._pairs):
                _close(sock)
            self._pairs.clear()

    def restore(self) -> None:
        """Forward again."""
        with self._lock:
            self._cut = False

    def stop(self) -> None:
        """Close everything."""
        self._stopped = True
        self.cut()
        _close(self._server)

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                cut = self._cut
            if cut:
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                _close(client)
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._pairs.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        try:
            selector.register(a, selectors.EVENT_READ, b)
            selector.register(b, selectors.EVENT_READ, a)
            while True:
                for key, _ in selector.select(timeout=0.5):
                    data = _recv(key.fileobj)
                    if not data or not _send(key.data, data):
                        return
                with self._lock:
                    if a not in self._pairs:
                        return
        except (OSError, ValueError):
            return
        finally:
            selector.close()
            with self._lock:
                self._pairs.discard(a)
                self._pairs.discard(b)
            _close(a)
            _close(b)


def _recv(sock: object) -> Optional[bytes]:
    try:
        return sock.recv(65536)  # type: ignore[attr-defined]
    except OSError:
        return None


def _send(sock: socket.socket, data: bytes) -> bool:
    try:
        sock.sendall(data)
        return True
    except OSError:
        return False


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
