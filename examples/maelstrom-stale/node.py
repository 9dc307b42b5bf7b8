"""The primary store of ../maelstrom-primary with one plausible speed-up, and
the bug it brings: reads are served by whichever node the client asked, from
a local copy that the primary updates asynchronously.

Writes and compare-and-sets still go through the primary, durable and in
order. After answering one, the primary sends the new value to the other
nodes, fire and forget; a node that starts asks the primary for a snapshot.
Reads no longer wait for anyone: fast, available under partitions, and not
linearizable. A node cut off from the primary (or one whose snapshot request
was lost) keeps answering reads from values the rest of the cluster has
overwritten, and a read that misses a write that completed before it began
is what faultline's linearizability checker reports.

    python3 node.py DATA_DIR      (primary_kv.py, the primary's node.py, beside it)
"""
import json
import sys

from maelstrom import KEY_DOES_NOT_EXIST, Node, RPCError
from primary_kv import PrimaryKV


class LocalReadKV(PrimaryKV):
    def __init__(self, node, data_dir):
        super().__init__(node, data_dir)
        self.replica = {}  # json.dumps(key) -> value, as the primary last told us
        node.on("replicate", self.on_replicate)
        node.on("snapshot", self.on_snapshot)

    def on_init(self):
        super().on_init()
        if self.store is None:
            self.node.rpc(self.primary, {"type": "snapshot"}, self.on_snapshot_ok)

    def handle(self, msg):
        req = msg["body"]
        if req["type"] == "read" and self.store is None:
            # The speed-up: no round trip to the primary.
            encoded = json.dumps(req["key"])
            if encoded not in self.replica:
                raise RPCError(KEY_DOES_NOT_EXIST, "no key %r" % (req["key"],))
            self.node.reply(msg, {"type": "read_ok", "value": self.replica[encoded]})
            return
        super().handle(msg)
        if self.store is not None and req["type"] in ("write", "cas"):
            # Reached only when the change applied (errors raise). Replicated after the client has its answer.
            for other in self.node.node_ids:
                if other != self.node.id:
                    self.node.send(other, {"type": "replicate", "key": req["key"], "value": self.store.get(req["key"])})

    def on_replicate(self, msg):
        self.replica[json.dumps(msg["body"]["key"])] = msg["body"]["value"]

    def on_snapshot(self, msg):
        self.node.reply(msg, {"type": "snapshot_ok", "values": dict(self.store.values)})

    def on_snapshot_ok(self, answer):
        self.replica.update(answer["body"]["values"])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: node.py DATA_DIR")
    node = Node()
    LocalReadKV(node, sys.argv[1])
    node.run()
