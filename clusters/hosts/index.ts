// Public surface of clusters/hosts/: machines reached over SSH.
//
//   readHostsFile() / parseHostsFile()     hosts.json, checked (exit 2 on a bad one)
//   SshHost                                one host's SSH connection: commands with deadlines, reconnect with backoff
//   HostCluster                            a run's nodes on hosts (`test --hosts`): the DB's files unpacked and chrooted to
//   surveyHost() / removeLeftovers()       what faultline left on a host (rules, processes, files), and removing it
//   requireTools()                         refuse a host without iptables & co.
//   fakeHostsUp() / fakeHostsDown()        `faultline hosts up|down`: containers that act like bare machines
export { parseHostsFile, readHostsFile, type HostEntry, type HostsFile } from './hosts-file.ts';
export { SshHost, SshOutcomeUnknown, shellQuote, type ExecOutcome, type SshOptions } from './ssh.ts';
export { HOST_ROOT, HOST_TOOLS, missingTools, ourIptablesLines, parseSurvey, removeLeftovers, removeRulesScript, requireTools, surveyHost, type HostLeftovers } from './leftovers.ts';
export { FAKE_HOSTS_KEYS, fakeHostKeys, fakeHostsDown, fakeHostsUp, writeHostsFile, type HostsUpOptions } from './fake-hosts.ts';
export { hostImageSpec } from './host-image.ts';
export { HostCluster, hostRunDir, type CreateHostClusterOptions, type HostNode } from './host-cluster.ts';
