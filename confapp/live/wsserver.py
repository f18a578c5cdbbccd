"""The WebSocket server's socket and compression settings, shared by `confapp serve` and the bench relay.

Two defaults of the stack cost phones time and the server memory (issue 16, docs/performance.md):

- **Nagle's algorithm.** gevent's pywsgi leaves it on, so a small frame written while an earlier one
  is unacknowledged waits for the peer's delayed ACK: acks to posts had a p99 of about 50 ms on
  loopback. Accepted sockets get `TCP_NODELAY` (simple-websocket works on a `dup()` of the same
  socket, which shares the option).
- **permessage-deflate.** Every browser offers it and simple-websocket accepts it with context
  takeover both ways: each connection keeps a zlib compressor (about 256 KB reserved) and a
  decompressor (32 KB window) for its whole life. The tuned extension asks for no context takeover
  both ways, so the zlib state lives only while one message is (de)compressed, and sends frames
  smaller than `min_bytes` uncompressed (a `bullet.posted` event is a few hundred bytes: deflating it
  afresh for every member of a table costs CPU and saves almost nothing). Snapshots, the big
  messages, are still compressed.

And one of python-socketio: every packet it builds is searched, item by item, for `bytes` to send as
binary attachments. Nothing confapp sends holds bytes, so `JsonPacket` skips the search (a phone's
snapshot of a 2,000-phone hall is some 2,000 items; the search cost more than encoding it).
"""

from __future__ import annotations

import contextlib
import socket
import zlib
from typing import Any

from socketio.packet import Packet
from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import FrameDecoder, FrameProtocol, Opcode, RsvBits

DEFLATE_MIN_BYTES = 1024  # frames below this go uncompressed
DEFLATE_MEM_LEVEL = 8  # zlib's default; the state is freed after each message anyway


class JsonPacket(Packet):  # type: ignore[misc]
    """A Socket.IO packet that is JSON only: never searched for binary attachments (see above)."""

    uses_binary_events = False


class TunedDeflate(PerMessageDeflate):
    """permessage-deflate without context takeover, and small frames left uncompressed."""

    min_bytes = DEFLATE_MIN_BYTES
    mem_level = DEFLATE_MEM_LEVEL

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("server_no_context_takeover", True)
        kwargs.setdefault("client_no_context_takeover", True)
        super().__init__(**kwargs)

    def accept(self, offer: str) -> bool | None | str:
        # `_parse_params` turns context takeover off if the client asks; we always turn it off.
        self.server_no_context_takeover = True
        self.client_no_context_takeover = True
        return super().accept(offer)

    def frame_outbound(
        self,
        proto: FrameDecoder | FrameProtocol,
        opcode: Opcode,
        rsv: RsvBits,
        data: bytes,
        fin: bool,
    ) -> tuple[RsvBits, bytes]:
        if fin and opcode is not Opcode.CONTINUATION and len(data) < self.min_bytes:
            return (rsv, data)  # a whole small message; RSV1 clear: the peer reads it uncompressed
        if self._compressor is None and self._compressible_opcode(opcode):
            bits = self.client_max_window_bits if proto.client else self.server_max_window_bits
            self._compressor = zlib.compressobj(
                zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -int(bits), self.mem_level
            )
        return super().frame_outbound(proto, opcode, rsv, data, fin)


def configure(nodelay: bool, tuned_deflate: bool, min_bytes: int = DEFLATE_MIN_BYTES) -> dict[str, Any]:
    """Apply the settings before the server starts; returns the keyword arguments for pywsgi's server."""
    if tuned_deflate:
        use_tuned_deflate(min_bytes)
    return {"handler_class": no_delay_handler()} if nodelay else {}


def use_tuned_deflate(min_bytes: int = DEFLATE_MIN_BYTES, mem_level: int = DEFLATE_MEM_LEVEL) -> None:
    """Make simple-websocket offer `TunedDeflate` to the connections it accepts from now on.

    simple-websocket builds `PerMessageDeflate()` by its module-level name when it accepts a
    connection, and has no option for it; rebinding that name is the only way in.
    """
    import simple_websocket.ws

    TunedDeflate.min_bytes = min_bytes
    TunedDeflate.mem_level = mem_level
    simple_websocket.ws.PerMessageDeflate = TunedDeflate  # type: ignore[misc]


def no_delay_handler() -> type:
    """gevent's pywsgi handler class with `TCP_NODELAY` set on every accepted socket."""
    from gevent import pywsgi

    class NoDelayHandler(pywsgi.WSGIHandler):  # type: ignore[misc]
        def __init__(self, sock: Any, address: Any, server: Any, rfile: Any = None) -> None:
            with contextlib.suppress(OSError, AttributeError):  # a UNIX socket has no Nagle
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, address, server, rfile)

    return NoDelayHandler
