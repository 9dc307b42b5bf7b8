// Teardown that always happens: on normal return, on a thrown error, and on
// SIGINT / SIGTERM. Code that creates something outside this process registers
// how to undo it; the first signal runs every registered undo once, newest first.
type Undo = () => Promise<void>;

const undos = new Map<number, { label: string; undo: Undo }>();
let nextId = 0;
let installed = false;
let running: Promise<void> | undefined;

/** Exit code after a signal: an interrupted run has no verdict (2, "unknown"). */
export const INTERRUPTED_EXIT_CODE = 2;

/** Register an undo; returns a function that unregisters it (call after a normal teardown). */
export function registerCleanup(label: string, undo: Undo): () => void {
  installSignalHandlers();
  const id = nextId++;
  undos.set(id, { label, undo });
  return () => undos.delete(id);
}

/** True once a signal (or a caller) started running the undos: the process is on its way out. */
export function cleanupStarted(): boolean {
  return running !== undefined;
}

/** Run every registered undo (newest first), once, even if called again concurrently. */
export function runAllCleanups(log: (line: string) => void = (l) => console.error(l)): Promise<void> {
  running ??= (async () => {
    const pending = [...undos.entries()].reverse();
    undos.clear();
    for (const [, { label, undo }] of pending) {
      try {
        await undo();
      } catch (err) {
        log(`cleanup of ${label} failed: ${(err as Error).message}`);
      }
    }
  })();
  return running;
}

function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      console.error(`\nfaultline: ${signal} received, cleaning up (send it again to force-exit)`);
      process.removeAllListeners(signal);
      process.on(signal, () => process.exit(INTERRUPTED_EXIT_CODE));
      void runAllCleanups().finally(() => process.exit(INTERRUPTED_EXIT_CODE));
    });
  }
}
