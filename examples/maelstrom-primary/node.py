"""A lin-kv store with one fixed primary: the first node of node_ids (n1).

Every read, write and compare-and-set goes to the primary, which applies them
one at a time, in the order they arrive, and appends each change to a log in
its data folder (flushed and fsynced) before it answers; on start it loads
that log. Other nodes forward their clients' requests to it and relay its
answer. Linearizable, also across kills (nothing is acknowledged before it is
on disk); a node cut off from the primary cannot answer (its clients time
out): consistency over availability.

    python3 node.py DATA_DIR
"""
import json
import os
import sys

from maelstrom import KEY_DOES_NOT_EXIST, PRECONDITION_FAILED, Node, RPCError, log


class DurableStore:
    """Key -> value, every change appended to DATA_DIR/kv.log and fsynced before it counts."""

    def __init__(self, data_dir):
        os.makedirs(data_dir, exist_ok=True)
        self.path = os.path.join(data_dir, "kv.log")
        self.values = {}
        self._load()
        self.file = open(self.path, "a")

    def _load(self):
        if not os.path.exists(self.path):
            return
        with open(self.path, "rb") as f:
            data = f.read()
        # A kill during a write leaves a partial last line: cut it off, or the next
        # append would be glued to it. Nothing in it was acknowledged.
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) < len(data):
            with open(self.path, "r+b") as f:
                f.truncate(len(complete))
        for line in complete.splitlines():
            key, value = json.loads(line)
            self.values[json.dumps(key)] = value
        log("loaded", len(self.values), "keys from", self.path)

    def get(self, key):
        return self.values.get(json.dumps(key))

    def has(self, key):
        return json.dumps(key) in self.values

    def put(self, key, value):
        self.file.write(json.dumps([key, value]) + "\n")
        self.file.flush()
        os.fsync(self.file.fileno())
        self.values[json.dumps(key)] = value


class PrimaryKV:
    def __init__(self, node, data_dir):
        self.node = node
        self.data_dir = data_dir
        self.store = None  # only the primary has one
        node.on_init = self.on_init
        for type_ in ("read", "write", "cas"):
            node.on(type_, self.handle)

    @property
    def primary(self):
        return self.node.node_ids[0]

    def on_init(self):
        if self.node.id == self.primary:
            self.store = DurableStore(self.data_dir)

    def handle(self, msg):
        if self.store is None:
            self.forward(msg)
        else:
            self.node.reply(msg, self.apply(msg["body"]))

    def apply(self, req):
        """The reply body for a request; RPCError for Maelstrom's definite errors."""
        key = req["key"]
        if req["type"] == "read":
            if not self.store.has(key):
                raise RPCError(KEY_DOES_NOT_EXIST, "no key %r" % (key,))
            return {"type": "read_ok", "value": self.store.get(key)}
        if req["type"] == "write":
            self.store.put(key, req["value"])
            return {"type": "write_ok"}
        if not self.store.has(key):
            raise RPCError(KEY_DOES_NOT_EXIST, "no key %r" % (key,))
        if self.store.get(key) != req["from"]:
            raise RPCError(PRECONDITION_FAILED, "expected %r, have %r" % (req["from"], self.store.get(key)))
        self.store.put(key, req["to"])
        return {"type": "cas_ok"}

    def forward(self, msg):
        """Ask the primary, relay its answer. No answer (cut off, primary down): the client times out."""
        request = {k: v for k, v in msg["body"].items() if k != "msg_id"}
        self.node.rpc(self.primary, request, lambda answer: self.node.reply(msg, answer["body"]))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: node.py DATA_DIR")
    node = Node()
    PrimaryKV(node, sys.argv[1])
    node.run()
