#!/bin/sh
# node.command of zookeeper.yaml: writes this member's myid and the static
# ensemble configuration into its data folder, then execs the server (the
# process faultline kills, pauses and runs under libfaketime).
#   start.sh ID DATA_DIR CLIENT_PORT ADMIN_PORT TICK_MS SERVER_LINES...
set -eu
id="$1"; data="$2"; client="$3"; admin="$4"; tick="$5"; shift 5
echo "$id" > "$data/myid"
(
  echo "tickTime=$tick"
  # Followers connect and sync within initLimit ticks, and fall behind at most syncLimit ticks.
  echo "initLimit=10"
  echo "syncLimit=5"
  echo "dataDir=$data"
  echo "clientPort=$client"
  echo "admin.serverPort=$admin"
  echo "4lw.commands.whitelist=srvr,stat,ruok,mntr,conf,hash"
  # Sessions may be as short as 2 ticks: the lock workload's holders lose their session within a pause.
  echo "minSessionTimeout=$((2 * tick))"
  echo "autopurge.purgeInterval=0"
  # The server lines come as one argument ({peers}, space-separated): split it.
  for server in $*; do echo "$server"; done
) > "$data/zoo.cfg"
# FAULTLINE_ZK_JAVA: another program in the JVM's place (test/zookeeper/zoo-cfg.test.ts checks the files without a server).
exec "${FAULTLINE_ZK_JAVA:-/opt/jre/bin/java}" \
  -Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
  -Dzookeeper.cnxTimeout=1000 \
  -Dzookeeper.fastleader.maxNotificationInterval=1000 \
  -Dzookeeper.admin.enableServer=true \
  -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar:/usr/share/java/servlet-api.jar \
  org.apache.zookeeper.server.quorum.QuorumPeerMain "$data/zoo.cfg"
