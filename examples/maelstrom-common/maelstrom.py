"""A minimal Maelstrom node: JSON messages on stdin, one per line; replies and
messages to other nodes on stdout; logs on stderr. Standard library only.

    node = Node()
    node.on("read", lambda msg: node.reply(msg, {"type": "read_ok", "value": 1}))
    node.run()

A handler may raise RPCError(code, text) to answer with a Maelstrom error.
node.rpc(dest, body, callback) sends a request and calls callback(reply) when
the reply comes; callbacks of requests never answered are forgotten after
RPC_TTL_S (a message may be lost: the network drops what it likes).
"""
import json
import random
import sys
import time

# Maelstrom's error codes (the ones these examples use).
NOT_SUPPORTED = 10
TEMPORARILY_UNAVAILABLE = 11
KEY_DOES_NOT_EXIST = 20
PRECONDITION_FAILED = 22

RPC_TTL_S = 30.0


class RPCError(Exception):
    def __init__(self, code, text):
        super().__init__(text)
        self.code = code
        self.text = text


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


class Node:
    def __init__(self):
        self.id = None
        self.node_ids = []
        self.handlers = {}
        self.on_init = None
        # Request id -> (callback, when sent). Ids start at a random point, so a
        # late reply meant for an earlier run of this node matches nothing here.
        self.callbacks = {}
        self.next_msg_id = random.randrange(1, 1 << 40)

    def on(self, type_, handler):
        self.handlers[type_] = handler

    def send(self, dest, body):
        sys.stdout.write(json.dumps({"src": self.id, "dest": dest, "body": body}) + "\n")
        sys.stdout.flush()

    def reply(self, request, body):
        self.send(request["src"], dict(body, in_reply_to=request["body"]["msg_id"]))

    def rpc(self, dest, body, callback):
        msg_id = self.next_msg_id
        self.next_msg_id += 1
        self.callbacks[msg_id] = (callback, time.monotonic())
        self.send(dest, dict(body, msg_id=msg_id))

    def _forget_old_callbacks(self):
        oldest = time.monotonic() - RPC_TTL_S
        for msg_id in [m for m, (_, sent) in self.callbacks.items() if sent < oldest]:
            del self.callbacks[msg_id]

    def _handle(self, msg):
        body = msg["body"]
        pending = self.callbacks.pop(body.get("in_reply_to"), None)
        if pending is not None:
            pending[0](msg)
            return
        if body["type"] == "init":
            self.id = body["node_id"]
            self.node_ids = body["node_ids"]
            if self.on_init:
                self.on_init()
            self.reply(msg, {"type": "init_ok"})
            return
        handler = self.handlers.get(body["type"])
        try:
            if handler is None:
                raise RPCError(NOT_SUPPORTED, "unknown message type " + body["type"])
            handler(msg)
        except RPCError as e:
            if "msg_id" in body:
                self.reply(msg, {"type": "error", "code": e.code, "text": e.text})

    def run(self):
        for line in iter(sys.stdin.readline, ""):
            if line.strip():
                self._handle(json.loads(line))
                self._forget_old_callbacks()
