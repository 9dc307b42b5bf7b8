// The one place that knows how to reach the Docker engine.
import Docker from 'dockerode';

let engine: Docker | undefined;

/** The shared dockerode client (DOCKER_HOST or the local socket). */
export function docker(): Docker {
  engine ??= new Docker();
  return engine;
}

/** True when the engine answers a ping within `timeoutMs`. */
export async function engineAnswers(timeoutMs = 2000): Promise<boolean> {
  try {
    await Promise.race([
      docker().ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('ping timed out')), timeoutMs).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** Label every faultline object carries; its value is the run id. */
export const RUN_LABEL = 'faultline.run';
