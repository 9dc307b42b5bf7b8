// Public surface of workloads/http-kv: the client of a system whose definition
// says `"protocol": "http-kv"` (clusters/defined/schema.ts httpKvSchema): a
// JSON-over-HTTP key-value API described by request templates and answer
// conditions. It serves the register workload.
//   template.ts         a request template filled in for one op
//   answer.ts           an answer and the definition's conditions on it
//   verdict.ts          what an answer means for an op (ok, fail, info, redirect)
//   redirect-target.ts  which node a redirect names
//   register-client.ts  the client: send, follow redirects, complete
import type { DockerClusterInfo, HttpKvProtocol } from '../../clusters/index.ts';
import type { ClientTable } from '../registry.ts';
import { HttpKvRegisterClient } from './register-client.ts';

export { HttpKvRegisterClient, type HttpKvClientOptions } from './register-client.ts';

/** An http-kv system's clients, one per workload it serves (register); `o` is what every request shares. */
export function httpKvClients(o: { timeoutMs: number; protocol: HttpKvProtocol }): ClientTable<DockerClusterInfo> {
  return {
    register: (info) => new HttpKvRegisterClient({ ...o, urls: info.urls }),
  };
}
