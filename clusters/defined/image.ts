// The node image of a defined system: the definition's host files and
// folders, the toolbox every node needs for the nemeses (clusters/docker/
// toolbox.ts), and for a Maelstrom node faultline's shim. A definition that
// names a local image by tag uses it as it is (definedImageTag).
import { closeSync, openSync, readSync } from 'node:fs';
import { UserError } from '../../history/index.ts';
import type { ImageFile, ImageSpec, ImageTree } from '../docker/image.ts';
import { toolboxSpec } from '../docker/toolbox.ts';
import { hostPath } from './check.ts';
import type { LoadedDefinition } from './load.ts';
import { shimImage } from './maelstrom/index.ts';
import { underLibfaketime } from './schema.ts';

/** True when the file starts with the ELF magic (an executable or shared library). */
function isElf(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    closeSync(fd);
  }
}

/** The local image a definition names (image.tag), or undefined when faultline builds one. */
export function definedImageTag(loaded: LoadedDefinition): string | undefined {
  return 'tag' in loaded.def.image ? loaded.def.image.tag : undefined;
}

/** The FROM-scratch image spec of a definition built from host files. */
export function definedImage(loaded: LoadedDefinition): ImageSpec {
  const { def, dir } = loaded;
  if ('tag' in def.image) {
    throw new UserError(`${def.name}: image.tag ${def.image.tag} is used as it is; there is no image to build`);
  }
  const files: ImageFile[] = def.image.files.map((f) => {
    const spec = typeof f === 'string' ? { from: f } : f;
    const from = hostPath(dir, spec.from);
    return { from, to: spec.to ?? from, elf: spec.libraries ?? isElf(from) };
  });
  const trees: ImageTree[] = def.image.dirs.map((d) => {
    const spec = typeof d === 'string' ? { from: d } : d;
    const from = hostPath(dir, spec.from);
    return { from, to: spec.to ?? from, ...(spec.exclude ? { exclude: spec.exclude } : {}) };
  });
  const toolbox = toolboxSpec();
  // The clock faults read a libfaketime node's clock with date (clock.ts).
  if (underLibfaketime(def.node)) files.push({ from: '/bin/date', to: '/bin/date', elf: true });
  const shim = def.client.protocol === 'maelstrom' ? shimImage() : { files: [], texts: {} };
  return {
    ...toolbox,
    name: def.name,
    files: [...toolbox.files, ...shim.files, ...files],
    trees,
    texts: { ...toolbox.texts, ...shim.texts },
    dirs: [...(toolbox.dirs ?? []), def.node.dataDir],
    env: { ...toolbox.env, ...(def.image.env ?? {}) },
  };
}
